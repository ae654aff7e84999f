/**
 * Who may post through the chat endpoint: a chat platform that signs its
 * requests with Slack's v0 scheme (HMAC-SHA256 of `v0:<timestamp>:<body>`
 * with the app's signing secret, the timestamp at most five minutes off), or
 * a script that sends `Authorization: Bearer <secret>`. Comparisons are
 * constant-time, so timing says nothing about how much of a guess was right.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** How far Slack's request timestamp may be from now. */
export const SLACK_MAX_SKEW_SECONDS = 300;

/** Why a request was not authenticated. */
export type ChatAuthFailureReason = "missingCredentials" | "staleTimestamp" | "badSignature" | "badToken" | "notConfigured";

/** Authenticated (and how), or why not. */
export type ChatAuthResult =
  | { readonly ok: true; readonly method: "slackSignature" | "bearerToken" }
  | { readonly ok: false; readonly reason: ChatAuthFailureReason; readonly message: string };

/** Parameters of {@link authenticateChatRequest}. */
export interface AuthenticateChatRequestParams {
  readonly headers: Headers;
  /** The raw body, exactly as received: Slack signs these bytes. */
  readonly body: string;
  readonly now: Date;
  /** The Slack app's signing secret, if Slack may call. */
  readonly slackSigningSecret?: string;
  /** The bearer secret scripts send, if they may call. */
  readonly bearerSecret?: string;
}

/** Checks a request's Slack signature, or else its bearer token. */
export function authenticateChatRequest(params: AuthenticateChatRequestParams): ChatAuthResult {
  const signature = params.headers.get("x-slack-signature");
  if (signature !== null) {
    if (params.slackSigningSecret === undefined) {
      return { ok: false, reason: "notConfigured", message: "Slack requests are not accepted here" };
    }
    return verifySlackSignature({
      signingSecret: params.slackSigningSecret,
      signature,
      timestamp: params.headers.get("x-slack-request-timestamp"),
      body: params.body,
      now: params.now,
    });
  }
  const authorization = params.headers.get("authorization");
  const token = authorization === null ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] ?? null;
  if (token === null) return { ok: false, reason: "missingCredentials", message: "a Slack signature or a bearer token is required" };
  if (params.bearerSecret === undefined) return { ok: false, reason: "notConfigured", message: "bearer tokens are not accepted here" };
  return sameSecret(token, params.bearerSecret)
    ? { ok: true, method: "bearerToken" }
    : { ok: false, reason: "badToken", message: "the bearer token is wrong" };
}

/** Parameters of {@link verifySlackSignature}. */
export interface VerifySlackSignatureParams {
  readonly signingSecret: string;
  /** `X-Slack-Signature`: `v0=<hex>`. */
  readonly signature: string;
  /** `X-Slack-Request-Timestamp`: Unix seconds. */
  readonly timestamp: string | null;
  readonly body: string;
  readonly now: Date;
}

/** Slack's v0 request signature, within the allowed clock skew. */
export function verifySlackSignature(params: VerifySlackSignatureParams): ChatAuthResult {
  if (params.timestamp === null || !/^\d{1,12}$/.test(params.timestamp)) {
    return { ok: false, reason: "missingCredentials", message: "X-Slack-Request-Timestamp is missing" };
  }
  // A captured request replayed later fails here even though its signature is genuine.
  if (Math.abs(params.now.getTime() / 1000 - Number(params.timestamp)) > SLACK_MAX_SKEW_SECONDS) {
    return { ok: false, reason: "staleTimestamp", message: "the request timestamp is more than five minutes off" };
  }
  const expected = `v0=${createHmac("sha256", params.signingSecret).update(`v0:${params.timestamp}:${params.body}`).digest("hex")}`;
  return sameSecret(params.signature, expected)
    ? { ok: true, method: "slackSignature" }
    : { ok: false, reason: "badSignature", message: "the Slack signature does not match" };
}

/** Constant-time equality of two strings of any length (compared as digests). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}
