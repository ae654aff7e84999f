/**
 * Idempotency keys of outbox requests: a client that retries a request (its
 * connection dropped before the answer came) sends the same
 * `Idempotency-Key`, and gets the activity the first attempt created instead
 * of a second one. Keys are per user and remembered for a day.
 */
import { createHash } from "node:crypto";
import type { AccountContext } from "./account-context.ts";

/** Keys are printable ASCII, as the header's specification suggests; this also bounds them. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Parameters of {@link beginIdempotentRequest}. */
export interface BeginIdempotentParams {
  readonly userId: string;
  readonly key: string;
  /** What is asked (e.g. the target URL and body); a key reused for something else is refused. */
  readonly request: string;
}

/** Go ahead, replay the earlier answer, or refuse. */
export type BeginIdempotentResult =
  | { readonly kind: "proceed" }
  | { readonly kind: "replay"; readonly activityUri: string }
  | {
      readonly kind: "refused";
      readonly reason: "invalidKey" | "inProgress" | "keyReused";
      readonly message: string;
    };

/** Claims a key for a request, or says what became of the earlier one. */
export async function beginIdempotentRequest(ac: AccountContext, params: BeginIdempotentParams): Promise<BeginIdempotentResult> {
  if (!KEY_PATTERN.test(params.key)) {
    return { kind: "refused", reason: "invalidKey", message: "Idempotency-Key must be 1–255 printable ASCII characters" };
  }
  const now = ac.now();
  const requestHash = createHash("sha256").update(params.request, "utf8").digest("hex");
  const reserved = await ac.accounts.idempotency.reserve(
    { userId: params.userId, key: params.key, requestHash, activityUri: null, createdAt: now.toISOString() },
    { replaceBefore: new Date(now.getTime() - ac.config.idempotencyTtlMs).toISOString() },
  );
  if (reserved.kind === "reserved") return { kind: "proceed" };
  const earlier = reserved.record;
  if (earlier.requestHash !== requestHash) {
    return { kind: "refused", reason: "keyReused", message: "this Idempotency-Key was used for a different request" };
  }
  if (earlier.activityUri === null) {
    return { kind: "refused", reason: "inProgress", message: "a request with this Idempotency-Key is still being processed" };
  }
  return { kind: "replay", activityUri: earlier.activityUri };
}

/** Parameters of {@link finishIdempotentRequest}. */
export interface FinishIdempotentParams {
  readonly userId: string;
  readonly key: string;
  /** The created activity; absent when the request failed and may be retried. */
  readonly activityUri?: string;
}

/** Records the outcome of a claimed request. */
export async function finishIdempotentRequest(ac: AccountContext, params: FinishIdempotentParams): Promise<void> {
  if (params.activityUri === undefined) {
    await ac.accounts.idempotency.release({ userId: params.userId, key: params.key });
    return;
  }
  await ac.accounts.idempotency.complete({ userId: params.userId, key: params.key, activityUri: params.activityUri });
}
