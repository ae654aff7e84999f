/**
 * Proof Key for Code Exchange (RFC 7636), S256 only: the client sends a hash
 * of a secret with the authorization request and the secret itself with the
 * code exchange, so a stolen code is useless. The `plain` method is refused
 * since it protects nothing against an attacker who sees the request.
 */
import { createHash, timingSafeEqual } from "node:crypto";

/** RFC 7636 §4.1: 43–128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
/** A base64url SHA-256 digest: 43 characters, no padding. */
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Parameters of {@link checkCodeChallenge}. */
export interface CheckCodeChallengeParams {
  readonly challenge: string | undefined;
  readonly method: string | undefined;
}

/** The challenge to keep, none, or why it is refused. */
export type CheckCodeChallengeResult =
  | { readonly ok: true; readonly challenge: { readonly value: string; readonly method: "S256" } | null }
  | { readonly ok: false; readonly reason: "plainRefused" | "unknownMethod" | "malformedChallenge"; readonly message: string };

/** Validates the challenge of an authorization request. */
export function checkCodeChallenge(params: CheckCodeChallengeParams): CheckCodeChallengeResult {
  const { challenge, method } = params;
  if (challenge === undefined || challenge === "") {
    if (method !== undefined && method !== "") {
      return { ok: false, reason: "malformedChallenge", message: "code_challenge_method without code_challenge" };
    }
    return { ok: true, challenge: null };
  }
  // RFC 7636 makes plain the default when no method is given; refusing it means refusing that default too.
  if (method === undefined || method === "" || method === "plain") {
    return { ok: false, reason: "plainRefused", message: "code_challenge_method must be S256; plain is not supported" };
  }
  if (method !== "S256") return { ok: false, reason: "unknownMethod", message: `unknown code_challenge_method "${method.slice(0, 20)}"` };
  if (!CHALLENGE.test(challenge)) {
    return { ok: false, reason: "malformedChallenge", message: "code_challenge must be a base64url SHA-256 digest (43 characters)" };
  }
  return { ok: true, challenge: { value: challenge, method: "S256" } };
}

/** Parameters of {@link s256Challenge}. */
export interface S256ChallengeParams {
  readonly verifier: string;
}

/** The S256 challenge of a verifier: base64url(SHA-256(verifier)). */
export function s256Challenge(params: S256ChallengeParams): string {
  return createHash("sha256").update(params.verifier, "ascii").digest("base64url");
}

/** Parameters of {@link verifyCodeVerifier}. */
export interface VerifyCodeVerifierParams {
  readonly verifier: string | undefined;
  readonly challenge: string;
}

/** Whether the verifier matches, or why not. */
export type VerifyCodeVerifierResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: "missingVerifier" | "malformedVerifier" | "mismatch"; readonly message: string };

/** Checks a code_verifier against the stored S256 challenge, in constant time. */
export function verifyCodeVerifier(params: VerifyCodeVerifierParams): VerifyCodeVerifierResult {
  const { verifier, challenge } = params;
  if (verifier === undefined || verifier === "") return { ok: false, reason: "missingVerifier", message: "code_verifier is required" };
  if (!VERIFIER.test(verifier)) {
    return { ok: false, reason: "malformedVerifier", message: "code_verifier must be 43–128 unreserved characters" };
  }
  const expected = Buffer.from(challenge, "ascii");
  const actual = Buffer.from(s256Challenge({ verifier }), "ascii");
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    return { ok: false, reason: "mismatch", message: "code_verifier does not match the code_challenge" };
  }
  return { ok: true };
}
