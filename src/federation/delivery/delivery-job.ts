/**
 * The `deliver` queue: one job per (activity, inbox). The job carries only
 * references; the activity is read from the store when it runs, so a
 * thousand deliveries of one post share one stored document.
 */
import { z } from "zod";
import { createBoundedCache, type BoundedCache } from "../../crypto/bounded-cache.ts";
import { stripHiddenRecipients } from "../../protocol/addressing.ts";
import type { JobRecord, KeyRecord } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";
import { localActorKey } from "../actors/local-actors.ts";
import type { FederationContext } from "../context.ts";
import type { JobOutcome } from "../queue/worker.ts";
import { deliverActivity, type DeliveryOutcome } from "./deliver.ts";
import { hostStatus, recordHostFailure, recordHostSuccess } from "./host-breaker.ts";
import { nextDeliveryAttempt } from "./retry-policy.ts";

/** The queue delivery jobs live in. */
export const DELIVERY_QUEUE = "deliver";

/** What a delivery job carries. */
export type DeliveryJobPayload = {
  activityUri: string;
  inbox: string;
  /** The local actor whose key signs the delivery. */
  signerUri: string;
  /** The remote actors this inbox delivers to; dropped as followers if the inbox is gone. */
  recipientUris: string[];
};

const payloadSchema = z.object({
  activityUri: z.string().min(1),
  inbox: z.url({ protocol: /^https?$/ }),
  signerUri: z.string().min(1),
  recipientUris: z.array(z.string()),
});

/** Runs one delivery job: sends the stored activity and decides done, retry or fail. */
export async function handleDeliveryJob(ctx: FederationContext, job: JobRecord): Promise<JobOutcome> {
  const parsed = payloadSchema.safeParse(job.payload);
  if (!parsed.success) {
    const error = `Malformed delivery payload: ${z.prettifyError(parsed.error).replace(/\s+/g, " ")}`;
    ctx.logger.warn({ jobId: job.id, error }, "delivery job failed");
    return { kind: "fail", error };
  }
  const payload: DeliveryJobPayload = parsed.data;
  const log = ctx.logger.child({ jobId: job.id, activity: payload.activityUri, inbox: payload.inbox });
  const host = new URL(payload.inbox).host;
  const now = ctx.now();
  const firstQueuedAt = new Date(job.createdAt);

  const breaker = await hostStatus(ctx, { host });
  if (!breaker.open) {
    // Not attempted: wait out the host's backoff, still bounded by the delivery's maximum age.
    if (breaker.until.getTime() - firstQueuedAt.getTime() > ctx.config.deliveryMaxAgeMs) {
      const error = `Gave up: ${host} is backed off past the delivery's maximum age`;
      log.warn({ error }, "delivery job failed");
      return { kind: "fail", error };
    }
    log.debug({ until: breaker.until.toISOString() }, "host backed off; delivery postponed");
    return { kind: "retry", at: breaker.until, error: `${host} is backed off after ${breaker.failures} failures` };
  }

  const body = await activityBody(ctx, payload.activityUri);
  if (body === null) {
    const error = `Activity ${payload.activityUri} is not stored (deleted since it was queued?)`;
    log.warn({ error }, "delivery job failed");
    return { kind: "fail", error };
  }
  let signer: KeyRecord;
  try {
    signer = await localActorKey(ctx, payload.signerUri);
  } catch (error) {
    const message = `No signing key for ${payload.signerUri}: ${error instanceof Error ? error.message : String(error)}`;
    log.warn({ error: message }, "delivery job failed");
    return { kind: "fail", error: message };
  }

  const outcome = await deliverActivity(ctx, { inbox: payload.inbox, body, signer });
  return settle(ctx, { job, payload, outcome, host, firstQueuedAt, log });
}

/** Activities whose bodies are kept ready per store: the few that are being fanned out at a time. */
const BODY_CACHE_SIZE = 32;
const bodyCaches = new WeakMap<Store, BoundedCache<string, Promise<Uint8Array | null>>>();

/**
 * The activity as sent, encoded once for all its deliveries. A stored
 * activity never changes (an edit or a deletion is an activity of its own),
 * so the encoded body stays right for as long as it is kept. Deliveries
 * running at once share one read.
 */
function activityBody(ctx: FederationContext, activityUri: string): Promise<Uint8Array | null> {
  let found = bodyCaches.get(ctx.store);
  if (found === undefined) {
    found = createBoundedCache(BODY_CACHE_SIZE);
    bodyCaches.set(ctx.store, found);
  }
  const cache = found;
  const cached = cache.get(activityUri);
  if (cached !== undefined) return cached;
  const reading = ctx.store.activities.get(activityUri).then((activity) =>
    activity === null ? null : new TextEncoder().encode(JSON.stringify(stripHiddenRecipients(activity.document))),
  );
  cache.set(activityUri, reading);
  // Only bodies are kept: an activity not stored yet (or a failed read) is asked for again next time.
  const forget = (): void => {
    if (cache.get(activityUri) === reading) cache.delete(activityUri);
  };
  reading.then((body) => (body === null ? forget() : undefined), forget);
  return reading;
}

interface SettleParameters {
  readonly job: JobRecord;
  readonly payload: DeliveryJobPayload;
  readonly outcome: DeliveryOutcome;
  readonly host: string;
  readonly firstQueuedAt: Date;
  readonly log: FederationContext["logger"];
}

async function settle(ctx: FederationContext, params: SettleParameters): Promise<JobOutcome> {
  const { outcome, payload, log } = params;
  if (outcome.ok) {
    await recordHostSuccess(ctx, { host: params.host });
    log.debug({ status: outcome.status }, "delivered");
    return { kind: "done" };
  }
  if (outcome.gone) {
    // The inbox answered, so the host is up; the recipients behind it are not.
    await recordHostSuccess(ctx, { host: params.host });
    const removed = await ctx.store.transaction(async (tx) => {
      let count = 0;
      for (const recipient of payload.recipientUris) {
        if ((await tx.follows.remove(recipient, payload.signerUri)) !== null) count++;
      }
      return count;
    });
    log.debug({ status: outcome.status, removedFollowers: removed }, "inbox gone; followers removed");
    return { kind: "done" };
  }
  if (!outcome.retryable) {
    // A refusal is an answer: the host is reachable.
    if (outcome.status !== undefined) await recordHostSuccess(ctx, { host: params.host });
    log.warn({ status: outcome.status, error: outcome.message }, "delivery refused");
    return { kind: "fail", error: outcome.message };
  }
  const breaker = await recordHostFailure(ctx, { host: params.host });
  const now = ctx.now();
  let at = nextDeliveryAttempt({
    attempts: params.job.attempts + 1,
    firstQueuedAt: params.firstQueuedAt,
    now,
    retryAfterMs: outcome.retryAfterMs,
    maxAgeMs: ctx.config.deliveryMaxAgeMs,
  });
  if (at !== null && !breaker.open && breaker.until > at) at = breaker.until;
  if (at === null || at.getTime() - params.firstQueuedAt.getTime() > ctx.config.deliveryMaxAgeMs) {
    const error = `Gave up after ${params.job.attempts + 1} attempt(s): ${outcome.message}`;
    log.warn({ status: outcome.status, error }, "delivery job failed");
    return { kind: "fail", error };
  }
  log.warn({ status: outcome.status, error: outcome.message, retryAt: at.toISOString() }, "delivery failed; will retry");
  return { kind: "retry", at, error: outcome.message };
}
