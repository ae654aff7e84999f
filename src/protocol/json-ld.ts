import { AS_NAMESPACE, isKnownType } from "./vocabulary.ts";

/** A JSON object as received: keys known, values not yet trusted. */
export type JsonObject = Record<string, unknown>;

/** Whether a value is a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Wraps a value that JSON-LD allows as "one or many" into an array. `null` and `undefined` become
 * an empty array because compacted JSON-LD omits or nulls properties interchangeably.
 */
export function asArray<T>(v: T | T[] | readonly T[] | undefined | null): T[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? [...(v as T[])] : [v as T];
}

/**
 * The identifier of a reference: a non-empty string as is, an object's `id` (or expanded `@id`),
 * or a Link's `href` when the object has no id of its own.
 */
export function idOf(value: unknown): string | undefined {
  if (typeof value === "string") return value.length > 0 ? value : undefined;
  if (!isJsonObject(value)) return undefined;
  for (const key of ["id", "@id", "href"] as const) {
    const candidate = value[key];
    if (typeof candidate === "string" && candidate.length > 0) return candidate;
  }
  return undefined;
}

/** Identifiers of a one-or-many reference, skipping entries that carry no identifier. */
export function idsOf(value: unknown): string[] {
  const ids: string[] = [];
  for (const entry of asArray(value)) {
    const id = idOf(entry);
    if (id !== undefined) ids.push(id);
  }
  return ids;
}

/** The first string of a one-or-many value; `undefined` when there is none. */
export function firstString(v: unknown): string | undefined {
  for (const entry of asArray(v)) {
    if (typeof entry === "string") return entry;
  }
  return undefined;
}

/** Removes the prefixes compaction may leave on AS2 type names (`as:Note`, full IRIs). */
export function stripAsPrefix(type: string): string {
  if (type.startsWith("as:")) return type.slice(3);
  if (type.startsWith(AS_NAMESPACE)) return type.slice(AS_NAMESPACE.length);
  return type;
}

/**
 * The type of a document. `type` may be an array (extension types next to an AS2 base type, as
 * in `["Note", "ChatMessage"]` or `["Emoji", "toot:Emoji"]`): the first known type wins, else the
 * first string.
 */
export function typeOf(value: unknown): string | undefined {
  if (!isJsonObject(value)) return undefined;
  const raw = value.type ?? value["@type"];
  const names = asArray(raw)
    .filter((entry): entry is string => typeof entry === "string" && entry.length > 0)
    .map(stripAsPrefix);
  return names.find(isKnownType) ?? names[0];
}

/**
 * A natural-language string property. Uses the plain value when present (string, first string of
 * an array, or a JSON-LD `@value` object), falling back to the first non-empty entry of the
 * language map (`contentMap`, `nameMap`, `summaryMap`), which some servers send alone.
 */
export function langString(value: unknown, map?: unknown): string | undefined {
  for (const entry of asArray(value)) {
    if (typeof entry === "string") return entry;
    if (isJsonObject(entry) && typeof entry["@value"] === "string") return entry["@value"];
  }
  if (isJsonObject(map)) {
    for (const entry of Object.values(map)) {
      if (typeof entry === "string" && entry.length > 0) return entry;
    }
  }
  return undefined;
}

function parseUrl(s: unknown): URL | undefined {
  if (typeof s !== "string" || s.length === 0) return undefined;
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}

/** Whether a value is an absolute `https:` URI with a host. */
export function isHttpsUri(s: unknown): s is string {
  const url = parseUrl(s);
  return url !== undefined && url.protocol === "https:" && url.hostname.length > 0;
}

/** Whether a value is an absolute `http:` or `https:` URI with a host. */
export function isHttpUri(s: unknown): s is string {
  const url = parseUrl(s);
  return (
    url !== undefined && (url.protocol === "https:" || url.protocol === "http:") && url.hostname.length > 0
  );
}

/** Whether two URIs share scheme, host and port; false when either is not a URL. */
export function sameOrigin(a: string, b: string): boolean {
  const left = parseUrl(a);
  const right = parseUrl(b);
  if (left === undefined || right === undefined) return false;
  // `URL.origin` is "null" for opaque schemes, which would make unrelated URIs look equal.
  if (left.origin === "null" || right.origin === "null") return false;
  return left.origin === right.origin;
}
