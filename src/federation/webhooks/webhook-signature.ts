/**
 * Signing webhook deliveries. The signature is an HMAC-SHA256 over the
 * timestamp and the raw body (`<timestamp>.<body>`), so a receiver that
 * checks it and the timestamp's age knows the body came from this server and
 * is not an old delivery replayed.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** Header carrying `sha256=<hex>`. */
export const SIGNATURE_HEADER = "X-Outpost-Signature";
/** Header carrying the Unix time (seconds) the signature was made at. */
export const TIMESTAMP_HEADER = "X-Outpost-Timestamp";
/** Header naming the event type. */
export const EVENT_HEADER = "X-Outpost-Event";
/** Header carrying the delivery's id, the same on every retry of one delivery. */
export const DELIVERY_HEADER = "X-Outpost-Delivery";

/** How old a delivery a receiver should accept by default. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

/** Parameters of {@link signWebhookPayload}. */
export interface SignWebhookPayloadParams {
  readonly secret: string;
  /** Unix time in seconds. */
  readonly timestamp: number;
  /** The exact body sent. */
  readonly body: string;
}

/** The signature header's value, `sha256=<hex>`. */
export function signWebhookPayload(params: SignWebhookPayloadParams): string {
  const mac = createHmac("sha256", params.secret).update(`${params.timestamp}.`).update(params.body);
  return `sha256=${mac.digest("hex")}`;
}

/** Parameters of {@link verifyWebhookSignature}. */
export interface VerifyWebhookSignatureParams {
  readonly secret: string;
  readonly headers: Headers;
  readonly body: string;
  readonly now: Date;
  readonly toleranceSeconds?: number;
}

/** Whether a delivery is authentic and fresh, and if not, why. */
export type VerifyWebhookSignatureResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: "missingHeaders" | "staleTimestamp" | "badSignature"; readonly message: string };

/** Checks a received delivery: what a receiver does, and what the tests do. */
export function verifyWebhookSignature(params: VerifyWebhookSignatureParams): VerifyWebhookSignatureResult {
  const signature = params.headers.get(SIGNATURE_HEADER);
  const timestampText = params.headers.get(TIMESTAMP_HEADER);
  if (signature === null || timestampText === null || !/^\d{1,12}$/.test(timestampText)) {
    return { ok: false, reason: "missingHeaders", message: `${SIGNATURE_HEADER} and ${TIMESTAMP_HEADER} are required` };
  }
  const timestamp = Number(timestampText);
  const tolerance = params.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  if (Math.abs(params.now.getTime() / 1000 - timestamp) > tolerance) {
    return { ok: false, reason: "staleTimestamp", message: `the timestamp is more than ${tolerance} seconds off` };
  }
  const expected = Buffer.from(signWebhookPayload({ secret: params.secret, timestamp, body: params.body }));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: "badSignature", message: "the signature does not match the body" };
  }
  return { ok: true };
}
