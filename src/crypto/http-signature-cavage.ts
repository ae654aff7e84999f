import type { KeyObject } from "node:crypto";
import { digestHeader } from "./digest.ts";
import { toPrivateKeyObject } from "./keys.ts";
import { algorithmsForKey, keyFitsAlgorithm, signBytes, signingAlgorithmForKey, verifyBytes } from "./signature-algorithms.ts";
import type { SignatureAlgorithm } from "./signature-algorithms.ts";
import { failure } from "./signature-failure.ts";
import type { ParseFailure, StepResult, VerifyFailure } from "./signature-failure.ts";
import type { SigningPlan } from "./signing-plan.ts";
import { formatHttpDate } from "./time-window.ts";

export type { ParseFailure } from "./signature-failure.ts";

/** What a signer needs to sign an outgoing request. */
export interface SignCavageParameters {
  readonly method: string;
  readonly url: string | URL;
  readonly headers: Headers;
  /** The exact bytes that will be sent; when given, a Digest header is added and signed. */
  readonly body?: Uint8Array | null;
  /** The URI of the public key, e.g. `https://example.com/users/alice#main-key`. */
  readonly keyId: string;
  /** A KeyObject or PKCS#8/PKCS#1 PEM text. */
  readonly privateKey: KeyObject | string;
  /** Signing time; defaults to the current time. */
  readonly now?: Date;
}

/** A parsed draft-cavage `Signature` header. */
export interface ParsedCavage {
  readonly ok: true;
  readonly keyId: string;
  /** The algorithm parameter, lowercased, or null when absent. */
  readonly algorithm: string | null;
  /** Covered header names, lowercased, in signing order. */
  readonly headers: readonly string[];
  readonly signature: Uint8Array;
  /** `created` parameter in Unix seconds, or null. */
  readonly created: number | null;
  /** `expires` parameter in Unix seconds, or null. */
  readonly expires: number | null;
}

/** Inputs for rebuilding the string a draft-cavage signature was computed over. */
export interface CavageSigningStringParameters {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly signature: ParsedCavage;
}

/** The signing string, or why it cannot be built from this request. */
export type CavageSigningStringResult =
  | { readonly ok: true; readonly data: Buffer }
  | VerifyFailure<"missingSignedHeader" | "malformedSignature">;

/** Inputs of the cryptographic check of a draft-cavage signature. */
export interface VerifyCavageParameters {
  readonly signature: ParsedCavage;
  /** The signing string from {@link cavageSigningString}. */
  readonly data: Uint8Array;
  readonly publicKey: KeyObject;
}

/** The concrete algorithm a cavage `algorithm` value names; null means "decided by the key type". */
export type CavageAlgorithmResult =
  | { readonly ok: true; readonly algorithm: SignatureAlgorithm | null }
  | VerifyFailure<"unsupportedAlgorithm">;

/** What {@link planCavageSignature} needs: a signer's inputs with the algorithm instead of the key. */
export interface PlanCavageParameters extends Omit<SignCavageParameters, "privateKey"> {
  /** The algorithm the private key signs with (see `signingAlgorithmForKey`). */
  readonly algorithm: SignatureAlgorithm;
}

/**
 * Signs a request the way Mastodon expects: adds Host, Date, Digest (when a
 * body is given) and a Signature over `(request-target) host date [digest]`.
 * Returns a new Headers object; the input is left untouched.
 */
export function signCavage(params: SignCavageParameters): Headers {
  const key = toPrivateKeyObject(params.privateKey);
  const plan = planCavageSignature({ ...params, algorithm: signingAlgorithmForKey(key) });
  return plan.complete(signBytes({ algorithm: plan.algorithm, key, data: plan.data }));
}

/**
 * Everything of {@link signCavage} except the private-key operation: the
 * headers to send and the signing string, for signing elsewhere.
 */
export function planCavageSignature(params: PlanCavageParameters): SigningPlan {
  if (params.keyId.includes('"')) throw new TypeError("keyId must not contain a double quote");
  const url = new URL(params.url);
  const headers = new Headers(params.headers);
  if (!headers.has("host")) headers.set("host", url.host);
  if (params.now !== undefined || !headers.has("date")) headers.set("date", formatHttpDate(params.now ?? new Date()));
  const covered = ["(request-target)", "host", "date"];
  if (params.body !== undefined && params.body !== null) {
    headers.set("digest", digestHeader(params.body));
    covered.push("digest");
  }
  const { algorithm, keyId } = params;
  const lines = covered.map((name) =>
    name === "(request-target)"
      ? `(request-target): ${requestTarget(params.method, url)}`
      : `${name}: ${headers.get(name) ?? ""}`,
  );
  const algorithmName = algorithm === "rsa-v1_5-sha256" ? "rsa-sha256" : "hs2019";
  return {
    headers,
    algorithm,
    data: Buffer.from(lines.join("\n")),
    complete(signature) {
      headers.set(
        "signature",
        `keyId="${keyId}",algorithm="${algorithmName}",headers="${covered.join(" ")}",signature="${Buffer.from(signature).toString("base64")}"`,
      );
      return headers;
    },
  };
}

/**
 * Parses a draft-cavage signature, from a `Signature` header value or an
 * `Authorization: Signature ...` value. `headers` defaults to `date`, as
 * deployed implementations assume.
 */
export function parseCavageSignature(header: string): ParsedCavage | ParseFailure {
  let text = header.trim();
  if (/^signature\s/i.test(text)) text = text.slice("signature".length).trim();
  const params = new Map<string, string>();
  let pos = 0;
  while (pos < text.length) {
    while (pos < text.length && (text[pos] === "," || text[pos] === " " || text[pos] === "\t")) pos++;
    if (pos >= text.length) break;
    const nameMatch = /^[A-Za-z0-9_-]+/.exec(text.slice(pos));
    if (nameMatch === null) return malformed(`unexpected "${text[pos]}" at position ${pos}`);
    const name = nameMatch[0].toLowerCase();
    pos += nameMatch[0].length;
    while (text[pos] === " ") pos++;
    if (text[pos] !== "=") return malformed(`parameter ${nameMatch[0]} has no value`);
    pos++;
    while (text[pos] === " ") pos++;
    let value: string;
    if (text[pos] === '"') {
      const end = text.indexOf('"', pos + 1);
      if (end < 0) return malformed(`parameter ${nameMatch[0]} has an unterminated quoted value`);
      value = text.slice(pos + 1, end);
      pos = end + 1;
    } else {
      const end = text.indexOf(",", pos);
      value = text.slice(pos, end < 0 ? text.length : end).trim();
      pos = end < 0 ? text.length : end;
    }
    if (params.has(name)) return malformed(`parameter ${nameMatch[0]} appears twice`);
    params.set(name, value);
  }

  const keyId = params.get("keyid");
  if (keyId === undefined || keyId === "") return malformed("keyId parameter is missing");
  const signatureText = params.get("signature");
  if (signatureText === undefined || signatureText === "") return malformed("signature parameter is missing");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureText)) return malformed("signature parameter is not base64");
  const headersText = params.get("headers");
  const headers = headersText === undefined ? ["date"] : headersText.toLowerCase().split(/\s+/).filter((h) => h !== "");
  if (headers.length === 0) return malformed("headers parameter is empty");
  const created = parseTimestamp(params.get("created"));
  const expires = parseTimestamp(params.get("expires"));
  if (created === undefined) return malformed("created parameter is not a Unix timestamp");
  if (expires === undefined) return malformed("expires parameter is not a Unix timestamp");
  return {
    ok: true,
    keyId,
    algorithm: params.get("algorithm")?.toLowerCase() ?? null,
    headers,
    signature: Buffer.from(signatureText, "base64"),
    created,
    expires,
  };
}

/** Maps a cavage `algorithm` parameter to the algorithm to verify with. */
export function cavageAlgorithm(name: string | null): CavageAlgorithmResult {
  switch (name) {
    case null:
    case "hs2019":
      return { ok: true, algorithm: null };
    case "rsa-sha256":
      return { ok: true, algorithm: "rsa-v1_5-sha256" };
    case "ed25519":
      return { ok: true, algorithm: "ed25519" };
    default:
      return failure(
        "unsupportedAlgorithm",
        `Signature algorithm "${name}" is not supported; use rsa-sha256, hs2019 or ed25519`,
      );
  }
}

/** Rebuilds the signing string over the covered headers, in the order the signature lists them. */
export function cavageSigningString(params: CavageSigningStringParameters): CavageSigningStringResult {
  const { method, url, headers, signature } = params;
  const lines: string[] = [];
  for (const name of signature.headers) {
    switch (name) {
      case "(request-target)":
        lines.push(`(request-target): ${requestTarget(method, url)}`);
        break;
      case "(created)":
        if (signature.created === null) {
          return failure("malformedSignature", "Signature covers (created) but has no created parameter");
        }
        lines.push(`(created): ${signature.created}`);
        break;
      case "(expires)":
        if (signature.expires === null) {
          return failure("malformedSignature", "Signature covers (expires) but has no expires parameter");
        }
        lines.push(`(expires): ${signature.expires}`);
        break;
      default: {
        // Behind HTTP/2 or a proxy the Host header can be absent; the public URL carries the same authority.
        const value = headers.get(name) ?? (name === "host" ? url.host : null);
        if (value === null) {
          return failure("missingSignedHeader", `Signature covers the "${name}" header, but the request has no such header`);
        }
        lines.push(`${name}: ${value}`);
      }
    }
  }
  return { ok: true, data: Buffer.from(lines.join("\n")) };
}

/**
 * Checks a draft-cavage signature against a public key. With hs2019 (or no
 * algorithm) an RSA key is tried with RSASSA-PKCS1-v1_5/SHA-256 first, then
 * RSA-PSS/SHA-512; an Ed25519 key with Ed25519.
 */
export function verifyCavage(params: VerifyCavageParameters): StepResult<"invalidSignature" | "unsupportedAlgorithm"> {
  const { signature, data, publicKey } = params;
  const named = cavageAlgorithm(signature.algorithm);
  if (!named.ok) return named;
  const type = publicKey.asymmetricKeyType ?? "symmetric";
  if (named.algorithm !== null && !keyFitsAlgorithm(publicKey, named.algorithm)) {
    return failure("invalidSignature", `Signature algorithm ${signature.algorithm} cannot be verified with the ${type} key ${signature.keyId}`);
  }
  const candidates = named.algorithm === null ? algorithmsForKey(publicKey) : [named.algorithm];
  if (candidates.length === 0) {
    return failure("unsupportedAlgorithm", `Key ${signature.keyId} is a ${type} key, which cannot verify signatures here`);
  }
  for (const algorithm of candidates) {
    if (verifyBytes({ algorithm, key: publicKey, data, signature: signature.signature })) return { ok: true };
  }
  return failure("invalidSignature", `Signature does not verify with key ${signature.keyId}`);
}

function requestTarget(method: string, url: URL): string {
  return `${method.toLowerCase()} ${url.pathname}${url.search}`;
}

function parseTimestamp(value: string | undefined): number | null | undefined {
  if (value === undefined) return null;
  if (!/^\d+(\.\d+)?$/.test(value)) return undefined;
  return Number(value);
}

function malformed(detail: string): ParseFailure {
  return failure("malformedSignature", `Signature header is malformed: ${detail}`);
}
