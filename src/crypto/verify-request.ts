import type { KeyObject } from "node:crypto";
import { verifyContentDigestHeader, verifyDigestHeader } from "./digest.ts";
import type { DigestCheck } from "./digest.ts";
import { cavageAlgorithm, cavageSigningString, parseCavageSignature, planCavageSignature, signCavage, verifyCavage } from "./http-signature-cavage.ts";
import type { ParsedCavage, PlanCavageParameters, SignCavageParameters } from "./http-signature-cavage.ts";
import {
  parseRfc9421Signatures,
  planRfc9421Signature,
  rfc9421Algorithm,
  rfc9421SignatureBase,
  signRfc9421,
  verifyRfc9421,
} from "./http-signature-rfc9421.ts";
import type { ParsedRfc9421Signature } from "./http-signature-rfc9421.ts";
import { parsePublicKey } from "./keys.ts";
import { failure } from "./signature-failure.ts";
import type { SigningPlan } from "./signing-plan.ts";
import type { StepResult, VerifyFailure, VerifyFailureReason } from "./signature-failure.ts";
import { checkTimeWindow, formatDuration, parseHttpDate } from "./time-window.ts";

export type { VerifyFailureReason } from "./signature-failure.ts";

/** The signature formats an inbox accepts. */
export type SignatureScheme = "draft-cavage" | "rfc9421";

/** Outcome of verifying a signed request. */
export type VerifyRequestResult =
  | { readonly ok: true; readonly keyId: string; readonly ownerUri: string; readonly scheme: SignatureScheme }
  | { readonly ok: false; readonly reason: VerifyFailureReason; readonly message: string; readonly keyId?: string };

/** A public key found for a key id, with the actor that owns it. */
export interface ResolvedKey {
  publicKeyPem: string;
  ownerUri: string;
}

/** A signed request as the inbox received it. */
export interface VerifyRequestParameters {
  readonly method: string;
  /** Full public URL of the request (origin + path + query) as the sender addressed it. */
  readonly url: string;
  readonly headers: Headers;
  readonly body: Uint8Array | null;
  readonly now?: Date;
  /** How old a Date header or `created` time may be; default 3600. */
  readonly maxPastSeconds?: number;
  /** How far ahead of the clock a Date header or `created` time may be; default 300. */
  readonly maxFutureSeconds?: number;
  /** Looks up a key by id; refresh=true means bypass any cache (key rotation). Returns null when the key cannot be found. */
  readonly resolveKey: (keyId: string, options: { refresh: boolean }) => Promise<ResolvedKey | null>;
}

/** Parameters of {@link signRequest}: a signer's inputs plus the scheme to sign with. */
export type SignRequestParameters = SignCavageParameters & { readonly scheme?: SignatureScheme };

/** Parameters of {@link planRequestSignature}: the algorithm in place of the key, plus the scheme. */
export type PlanRequestSignatureParameters = PlanCavageParameters & { readonly scheme?: SignatureScheme };

interface Context {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: Uint8Array | null;
  readonly hasBody: boolean;
  readonly nowMs: number;
  readonly maxPastSeconds: number;
  readonly maxFutureSeconds: number;
  readonly resolveKey: VerifyRequestParameters["resolveKey"];
}

type KeyCheck = (key: KeyObject) => StepResult;

/**
 * Verifies the HTTP signature of an incoming request. RFC 9421 is used when
 * `Signature-Input` is present, draft-cavage otherwise. A request with a body
 * must have its digest signed and matching; the method, target and host must
 * be signed; the signing time must lie within the window. When the key fails
 * to verify, it is fetched once more bypassing caches, in case it rotated.
 * Errors thrown by `resolveKey` propagate, so callers can tell an unreachable
 * key server from a bad signature.
 */
export async function verifyRequest(params: VerifyRequestParameters): Promise<VerifyRequestResult> {
  const method = params.method.toUpperCase();
  const context: Context = {
    method,
    url: new URL(params.url),
    headers: params.headers,
    body: params.body,
    // A GET may arrive with an empty buffer; only real content, or a method that carries content, needs a digest.
    hasBody: params.body !== null && (params.body.byteLength > 0 || (method !== "GET" && method !== "HEAD")),
    nowMs: (params.now ?? new Date()).getTime(),
    maxPastSeconds: params.maxPastSeconds ?? 3600,
    maxFutureSeconds: params.maxFutureSeconds ?? 300,
    resolveKey: params.resolveKey,
  };
  const signatureInput = params.headers.get("signature-input");
  if (signatureInput !== null) return verifyRfc9421Request(context, signatureInput);
  const cavage = params.headers.get("signature") ?? authorizationSignature(params.headers);
  if (cavage === null) {
    return failure("noSignature", "Request has no Signature, Signature-Input or Authorization: Signature header");
  }
  return verifyCavageRequest(context, cavage);
}

/** Signs an outgoing request with draft-cavage (the default) or RFC 9421. */
export function signRequest(params: SignRequestParameters): Headers {
  return params.scheme === "rfc9421" ? signRfc9421(params) : signCavage(params);
}

/** Like {@link signRequest}, but leaves the private-key operation to the caller (see {@link SigningPlan}). */
export function planRequestSignature(params: PlanRequestSignatureParameters): SigningPlan {
  return params.scheme === "rfc9421" ? planRfc9421Signature(params) : planCavageSignature(params);
}

async function verifyCavageRequest(context: Context, header: string): Promise<VerifyRequestResult> {
  const parsed = parseCavageSignature(header);
  if (!parsed.ok) return parsed;
  const checked = checkCavage(context, parsed);
  if (!checked.ok) return { ...checked, keyId: parsed.keyId };
  const data = checked.data;
  return verifyWithResolvedKey(context, parsed.keyId, "draft-cavage", (publicKey) =>
    verifyCavage({ signature: parsed, data, publicKey }),
  );
}

function checkCavage(context: Context, parsed: ParsedCavage): { readonly ok: true; readonly data: Buffer } | VerifyFailure {
  const algorithm = cavageAlgorithm(parsed.algorithm);
  if (!algorithm.ok) return algorithm;
  const covers = (name: string) => parsed.headers.includes(name);
  if (!covers("(request-target)")) return notSigned('the "(request-target)" pseudo-header');
  if (!covers("host")) return notSigned('the "host" header');
  const coversCreated = covers("(created)") && parsed.created !== null;
  if (!covers("date") && !coversCreated) return notSigned('the "date" header');
  if (context.hasBody && !covers("digest")) return notSigned('the "digest" header');

  if (covers("date")) {
    const date = context.headers.get("date");
    if (date === null) return failure("dateMissing", "Request has no Date header, but the signature covers it");
    const dateMs = parseHttpDate(date);
    if (dateMs === null) return failure("dateMissing", `Date header "${date}" is not a valid HTTP date`);
    const window = checkTimeWindow({ ...windowOf(context), subject: "Date header", timestampMs: dateMs });
    if (!window.ok) return window;
  }
  const times = checkSignatureTimes(context, "Signature", parsed.created, parsed.expires);
  if (!times.ok) return times;

  if (context.hasBody) {
    const digest = context.headers.get("digest");
    if (digest === null) return failure("missingDigest", "Request has a body but no Digest header");
    const check = digestFailure(verifyDigestHeader(digest, context.body ?? new Uint8Array()));
    if (!check.ok) return check;
  }
  return cavageSigningString({ method: context.method, url: context.url, headers: context.headers, signature: parsed });
}

async function verifyRfc9421Request(context: Context, signatureInput: string): Promise<VerifyRequestResult> {
  const signature = context.headers.get("signature");
  if (signature === null) {
    return failure("malformedSignature", "Request has a Signature-Input header but no Signature header");
  }
  const parsed = parseRfc9421Signatures(signatureInput, signature);
  if (!parsed.ok) return parsed;
  let firstFailure: VerifyRequestResult | null = null;
  for (const candidate of parsed.signatures) {
    const { result, keyResolved } = await verifyRfc9421Candidate(context, candidate);
    // The first signature whose key resolves decides; the others are fallbacks.
    if (result.ok || keyResolved) return result;
    firstFailure ??= result;
  }
  return firstFailure ?? failure("malformedSignature", "Signature-Input header lists no signatures");
}

interface CandidateResult {
  readonly result: VerifyRequestResult;
  readonly keyResolved: boolean;
}

async function verifyRfc9421Candidate(context: Context, candidate: ParsedRfc9421Signature): Promise<CandidateResult> {
  const keyId = candidate.keyId;
  if (keyId === null) {
    return {
      result: failure("malformedSignature", `Signature ${candidate.label} has no keyid parameter`),
      keyResolved: false,
    };
  }
  const checked = checkRfc9421(context, candidate);
  if (!checked.ok) return { result: { ...checked, keyId }, keyResolved: false };
  const data = checked.data;
  const result = await verifyWithResolvedKey(context, keyId, "rfc9421", (publicKey) =>
    verifyRfc9421({ signature: candidate, data, publicKey }),
  );
  return { result, keyResolved: result.ok || result.reason !== "keyNotFound" };
}

function checkRfc9421(
  context: Context,
  candidate: ParsedRfc9421Signature,
): { readonly ok: true; readonly data: Buffer } | VerifyFailure {
  const algorithm = rfc9421Algorithm(candidate.algorithm);
  if (!algorithm.ok) return algorithm;
  const covers = (name: string) => candidate.componentNames.includes(name);
  if (!covers("@method")) return notSigned('the "@method" component');
  const coversTarget = covers("@target-uri");
  if (!coversTarget && !covers("@path") && !covers("@request-target")) {
    return notSigned('the "@target-uri" component');
  }
  // The target URI includes the authority, so covering it also covers the host.
  if (!coversTarget && !covers("@authority") && !covers("host")) return notSigned('the "@authority" component');
  if (context.hasBody && !covers("content-digest")) return notSigned('the "content-digest" header');

  if (candidate.created === null) {
    return failure("dateMissing", `Signature ${candidate.label} has no created parameter`);
  }
  const times = checkSignatureTimes(context, `Signature ${candidate.label}`, candidate.created, candidate.expires);
  if (!times.ok) return times;

  if (context.hasBody) {
    const digest = context.headers.get("content-digest");
    if (digest === null) return failure("missingDigest", "Request has a body but no Content-Digest header");
    const check = digestFailure(verifyContentDigestHeader(digest, context.body ?? new Uint8Array()));
    if (!check.ok) return check;
  }
  return rfc9421SignatureBase({
    method: context.method,
    url: context.url,
    headers: context.headers,
    components: candidate.components,
  });
}

async function verifyWithResolvedKey(
  context: Context,
  keyId: string,
  scheme: SignatureScheme,
  check: KeyCheck,
): Promise<VerifyRequestResult> {
  const resolved = await context.resolveKey(keyId, { refresh: false });
  if (resolved === null) return { ...failure("keyNotFound", `Key ${keyId} could not be found`), keyId };
  const first = checkWithPem(resolved.publicKeyPem, keyId, check);
  if (first.ok) return { ok: true, keyId, ownerUri: resolved.ownerUri, scheme };
  if (first.reason !== "invalidSignature" && first.reason !== "keyMalformed") return { ...first, keyId };

  const refreshed = await context.resolveKey(keyId, { refresh: true });
  if (refreshed === null || refreshed.publicKeyPem === resolved.publicKeyPem) return { ...first, keyId };
  const second = checkWithPem(refreshed.publicKeyPem, keyId, check);
  if (second.ok) return { ok: true, keyId, ownerUri: refreshed.ownerUri, scheme };
  return { ...second, keyId };
}

function checkWithPem(pem: string, keyId: string, check: KeyCheck): StepResult {
  const key = parsePublicKey(pem);
  if (!key.ok) {
    const reason = key.reason === "unsupported" ? "unsupportedAlgorithm" : "keyMalformed";
    return failure(reason, `Key ${keyId}: ${key.message}`);
  }
  return check(key.key);
}

function checkSignatureTimes(
  context: Context,
  subject: string,
  created: number | null,
  expires: number | null,
): StepResult<"dateOutOfWindow"> {
  if (created !== null) {
    const window = checkTimeWindow({ ...windowOf(context), subject: `${subject} created time`, timestampMs: created * 1000 });
    if (!window.ok) return window;
  }
  if (expires !== null && expires * 1000 < context.nowMs) {
    return failure("dateOutOfWindow", `${subject} expired ${formatDuration((context.nowMs - expires * 1000) / 1000)} ago`);
  }
  return { ok: true };
}

function windowOf(context: Context) {
  return { nowMs: context.nowMs, maxPastSeconds: context.maxPastSeconds, maxFutureSeconds: context.maxFutureSeconds };
}

function digestFailure(check: DigestCheck): StepResult<"digestMismatch" | "unsupportedAlgorithm"> {
  if (check.ok) return check;
  return failure(check.reason === "unsupportedAlgorithm" ? "unsupportedAlgorithm" : "digestMismatch", check.message);
}

function notSigned(what: string): VerifyFailure<"headerNotSigned"> {
  return failure("headerNotSigned", `Signature does not cover ${what}`);
}

function authorizationSignature(headers: Headers): string | null {
  const authorization = headers.get("authorization");
  return authorization !== null && /^signature\s/i.test(authorization) ? authorization : null;
}
