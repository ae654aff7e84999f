import { hash } from "node:crypto";
import { parseDictionary } from "./structured-fields.ts";

/** A request body as received or about to be sent. */
export type Body = Uint8Array | string;

/** Why a digest header did not vouch for the body. */
export type DigestFailureReason = "mismatch" | "unsupportedAlgorithm" | "malformed";

/** Outcome of checking a digest header against a body. */
export type DigestCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: DigestFailureReason; readonly message: string };

/** Hash functions accepted in Digest and Content-Digest, keyed by their lowercase registry name. */
const HASHES: ReadonlyMap<string, string> = new Map([
  ["sha-256", "sha256"],
  ["sha-512", "sha512"],
]);

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Builds an RFC 3230 `Digest` header value (`SHA-256=<base64>`), the form Mastodon sends and checks. */
export function digestHeader(body: Body): string {
  return `SHA-256=${hash("sha256", body, "base64")}`;
}

/** Builds an RFC 9530 `Content-Digest` header value (`sha-256=:<base64>:`). */
export function contentDigestHeader(body: Body): string {
  return `sha-256=:${hash("sha256", body, "base64")}:`;
}

/**
 * Checks an RFC 3230 `Digest` header. Every listed algorithm this layer knows
 * (SHA-256, SHA-512, case-insensitively) must match; unknown ones are ignored,
 * and a header listing none of the known ones is rejected.
 */
export function verifyDigestHeader(header: string, body: Body): DigestCheck {
  const entries = header.split(",");
  const seen: string[] = [];
  let checked = 0;
  for (const rawEntry of entries) {
    const entry = rawEntry.trim();
    if (entry === "") continue;
    const equals = entry.indexOf("=");
    if (equals <= 0) {
      return { ok: false, reason: "malformed", message: `Digest entry "${entry}" is not of the form algorithm=value` };
    }
    const name = entry.slice(0, equals).trim().toLowerCase();
    const value = entry.slice(equals + 1).trim();
    seen.push(name);
    const algorithm = HASHES.get(name);
    if (algorithm === undefined) continue;
    if (!BASE64.test(value)) {
      return { ok: false, reason: "malformed", message: `Digest value for ${name} is not base64` };
    }
    if (!Buffer.from(value, "base64").equals(hash(algorithm, body, "buffer"))) {
      return { ok: false, reason: "mismatch", message: `Digest ${name} value does not match the request body` };
    }
    checked++;
  }
  if (seen.length === 0) {
    return { ok: false, reason: "malformed", message: "Digest header is empty" };
  }
  if (checked === 0) {
    return unsupported("Digest", seen);
  }
  return { ok: true };
}

/**
 * Checks an RFC 9530 `Content-Digest` header (a structured-field dictionary of
 * byte sequences). Every known algorithm listed must match the body.
 */
export function verifyContentDigestHeader(header: string, body: Body): DigestCheck {
  const parsed = parseDictionary(header);
  if (!parsed.ok) {
    return { ok: false, reason: "malformed", message: `Content-Digest header is malformed: ${parsed.message}` };
  }
  if (parsed.value.size === 0) {
    return { ok: false, reason: "malformed", message: "Content-Digest header is empty" };
  }
  let checked = 0;
  for (const [name, member] of parsed.value) {
    const algorithm = HASHES.get(name);
    if (algorithm === undefined) continue;
    if (member.kind !== "item" || member.value.type !== "bytes") {
      return { ok: false, reason: "malformed", message: `Content-Digest ${name} value is not a byte sequence` };
    }
    if (!Buffer.from(member.value.value).equals(hash(algorithm, body, "buffer"))) {
      return { ok: false, reason: "mismatch", message: `Content-Digest ${name} value does not match the request body` };
    }
    checked++;
  }
  if (checked === 0) return unsupported("Content-Digest", [...parsed.value.keys()]);
  return { ok: true };
}

function unsupported(field: string, names: readonly string[]): DigestCheck {
  return {
    ok: false,
    reason: "unsupportedAlgorithm",
    message: `${field} header uses ${names.join(", ")}; only sha-256 and sha-512 are supported`,
  };
}
