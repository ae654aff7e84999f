/**
 * Scopes: what a token may do. Broad scopes (`read`, `write`, `follow`)
 * imply the finer ones (`read:inbox`, `write:outbox`, …), as Mastodon's do,
 * so a client may ask for exactly what it needs and an older client's broad
 * request keeps working. `admin:*` scopes are granted to admins only.
 */

/** Every fine read scope; `read` implies them all. */
export const READ_SCOPES = [
  "read:accounts",
  "read:actors",
  "read:blocks",
  "read:favourites",
  "read:follows",
  "read:inbox",
  "read:notifications",
  "read:outbox",
  "read:statuses",
] as const;

/** Every fine write scope; `write` implies them all. */
export const WRITE_SCOPES = [
  "write:accounts",
  "write:actors",
  "write:blocks",
  "write:favourites",
  "write:follows",
  "write:media",
  "write:outbox",
  "write:statuses",
] as const;

/** Scopes only an admin may hold. */
export const ADMIN_SCOPES = ["admin:read", "admin:write"] as const;

/** Every scope this server knows, broad ones first. */
export const KNOWN_SCOPES: readonly string[] = ["read", "write", "follow", ...READ_SCOPES, ...WRITE_SCOPES, ...ADMIN_SCOPES];

const IMPLIED: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ["read", READ_SCOPES],
  ["write", WRITE_SCOPES],
  // Mastodon's `follow` covers managing relationships.
  ["follow", ["read:follows", "write:follows", "read:blocks", "write:blocks"]],
]);

const KNOWN: ReadonlySet<string> = new Set(KNOWN_SCOPES);

/** Parameters of {@link parseScopes}. */
export interface ParseScopesParams {
  /** Space- or comma-separated, as OAuth (spaces) and the CLI (commas) write them. */
  readonly text: string;
}

/** The scopes, deduplicated in order, or the first unknown one. */
export type ParseScopesResult =
  | { readonly ok: true; readonly scopes: string[] }
  | { readonly ok: false; readonly reason: "invalidScope" | "noScope"; readonly message: string };

/** Reads a scope list; every scope must be known. */
export function parseScopes(params: ParseScopesParams): ParseScopesResult {
  const scopes = [...new Set(params.text.split(/[\s,]+/).filter((scope) => scope !== ""))];
  if (scopes.length === 0) return { ok: false, reason: "noScope", message: "no scope given" };
  const unknown = scopes.find((scope) => !KNOWN.has(scope));
  if (unknown !== undefined) {
    return { ok: false, reason: "invalidScope", message: `unknown scope "${unknown.slice(0, 64)}" (known: ${KNOWN_SCOPES.join(" ")})` };
  }
  return { ok: true, scopes };
}

/** Parameters of {@link scopeCovers}. */
export interface ScopeCoversParams {
  readonly granted: readonly string[];
  readonly scope: string;
}

/** Whether held scopes include one scope, directly or through a broader one. */
export function scopeCovers(params: ScopeCoversParams): boolean {
  const { granted, scope } = params;
  if (granted.includes(scope)) return true;
  return granted.some((held) => IMPLIED.get(held)?.includes(scope) === true);
}

/** Parameters of {@link checkScopes}. */
export interface CheckScopesParams {
  readonly granted: readonly string[];
  /** Every one of these must be covered. */
  readonly required: readonly string[];
}

/** Whether held scopes allow an operation, or the scopes missing. */
export type CheckScopesResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: "insufficientScope"; readonly missing: string[]; readonly message: string };

/** Checks that held scopes cover every required one. */
export function checkScopes(params: CheckScopesParams): CheckScopesResult {
  const missing = params.required.filter((scope) => !scopeCovers({ granted: params.granted, scope }));
  if (missing.length === 0) return { ok: true };
  return { ok: false, reason: "insufficientScope", missing, message: `the token lacks the scope ${missing.join(" ")}` };
}

/** Parameters of {@link checkScopesWithin}. */
export interface CheckScopesWithinParams {
  readonly requested: readonly string[];
  /** What the asker may have at most (a client's registered scopes). */
  readonly allowed: readonly string[];
  /** Admin scopes are refused unless this is true. */
  readonly admin: boolean;
}

/** Whether requested scopes stay within what may be granted. */
export function checkScopesWithin(params: CheckScopesWithinParams): CheckScopesResult {
  const missing = params.requested.filter(
    (scope) =>
      !(scopeCovers({ granted: params.allowed, scope }) || isCoveredBroadScope(scope, params.allowed)) ||
      (!params.admin && (ADMIN_SCOPES as readonly string[]).includes(scope)),
  );
  if (missing.length === 0) return { ok: true };
  return { ok: false, reason: "insufficientScope", missing, message: `scope not allowed here: ${missing.join(" ")}` };
}

/** A broad scope asked for counts as allowed when everything it implies is. */
function isCoveredBroadScope(scope: string, allowed: readonly string[]): boolean {
  const implied = IMPLIED.get(scope);
  return implied !== undefined && implied.every((fine) => scopeCovers({ granted: allowed, scope: fine }));
}
