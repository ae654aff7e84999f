/**
 * Finding a remote actor by its handle (`user@host`) through WebFinger.
 * Answers are cached in the store for a day; handles are compared in lower
 * case, as servers treat them case-insensitively.
 *
 * A handle carries no scheme, so WebFinger is asked over https. Only when
 * private addresses are allowed (tests, a LAN) and the host is an IP
 * address, `localhost` or has an explicit port is it asked over plain http,
 * since such development servers rarely have certificates.
 */
import { isIP } from "node:net";
import { parseWebFingerDocument } from "../../protocol/webfinger.ts";
import type { FederationContext } from "../context.ts";
import { safeFetch } from "../fetch/safe-fetch.ts";
import { resolveActor, type ActorResult } from "./actor-resolver.ts";

/** How long a WebFinger answer is reused. */
export const WEBFINGER_CACHE_MS = 24 * 3600 * 1000;

/** A handle split into its parts, lower-cased. */
export interface ParsedHandle {
  readonly username: string;
  readonly host: string;
  /** `username@host`. */
  readonly acct: string;
}

/** Reads `user@host`, `@user@host` or `acct:user@host`; null when it is not a handle. */
export function parseHandle(handle: string): ParsedHandle | null {
  const trimmed = handle.trim().replace(/^acct:/i, "").replace(/^@/, "");
  const at = trimmed.lastIndexOf("@");
  if (at <= 0 || at === trimmed.length - 1) return null;
  const username = trimmed.slice(0, at).toLowerCase();
  const hostPart = trimmed.slice(at + 1).toLowerCase();
  if (/[\s/?#@]/.test(username) || /[\s/?#@]/.test(hostPart)) return null;
  let host: string;
  try {
    host = new URL(`https://${hostPart}`).host;
  } catch {
    return null;
  }
  if (host !== hostPart) return null;
  return { username, host, acct: `${username}@${host}` };
}

/** The actor behind a handle, via a cached or fresh WebFinger lookup. */
export async function resolveHandle(ctx: FederationContext, handle: string): Promise<ActorResult> {
  const parsed = parseHandle(handle);
  if (parsed === null) return { ok: false, reason: "invalidUri", message: `Not a handle: ${JSON.stringify(handle)}` };
  const now = ctx.now();
  const cached = await ctx.store.webfinger.get(parsed.acct);
  if (cached !== null && now.getTime() - Date.parse(cached.fetchedAt) < WEBFINGER_CACHE_MS) {
    const actor = await resolveActor(ctx, cached.actorUri);
    if (actor.ok) return actor;
    // The cached answer led nowhere (the account moved or was deleted); ask again.
  }
  const lookedUp = await lookUp(ctx, parsed);
  if (!lookedUp.ok) return lookedUp;
  const actor = await resolveActor(ctx, lookedUp.actorUri);
  if (!actor.ok) return actor;
  await ctx.store.webfinger.put({ acct: parsed.acct, actorUri: actor.actor.uri, fetchedAt: now.toISOString() });
  return actor;
}

type LookUpResult = { ok: true; actorUri: string } | Extract<ActorResult, { ok: false }>;

async function lookUp(ctx: FederationContext, handle: ParsedHandle): Promise<LookUpResult> {
  const scheme = usesPlainHttp(ctx, handle.host) ? "http" : "https";
  const resource = encodeURIComponent(`acct:${handle.acct}`);
  const url = `${scheme}://${handle.host}/.well-known/webfinger?resource=${resource}`;
  const response = await safeFetch(ctx, url, {
    headers: new Headers({ accept: "application/jrd+json, application/json" }),
    maxBytes: Math.min(ctx.config.fetchMaxBytes, 256 * 1024),
  });
  if (!response.ok) return response;
  if (response.status === 404 || response.status === 410) {
    return { ok: false, reason: "notFound", message: `${handle.host} knows no account ${handle.acct}` };
  }
  if (response.status < 200 || response.status > 299) {
    return { ok: false, reason: "httpError", message: `WebFinger at ${handle.host} answered with HTTP ${response.status}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(response.body));
  } catch {
    return { ok: false, reason: "notJson", message: `WebFinger at ${handle.host} did not return JSON` };
  }
  const document = parseWebFingerDocument(json);
  if (!document.ok) return { ok: false, reason: "invalidActor", message: `WebFinger answer unusable: ${document.message}` };
  if (document.value.actorUri === undefined) {
    return { ok: false, reason: "notFound", message: `WebFinger for ${handle.acct} names no ActivityPub actor` };
  }
  return { ok: true, actorUri: document.value.actorUri };
}

function usesPlainHttp(ctx: FederationContext, host: string): boolean {
  if (!ctx.config.allowPrivateAddresses) return false;
  const url = new URL(`http://${host}`);
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  return isIP(hostname) !== 0 || hostname === "localhost" || url.port !== "";
}
