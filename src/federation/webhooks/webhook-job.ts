/**
 * The `webhook` queue: callbacks to the host application. Each webhook
 * delivery is a durable job (retried with backoff when the receiver is down),
 * and so is a retry of an `onInteraction` hook that threw. Jobs name their
 * webhook, never its URL or secret: those are read from the configuration
 * when the job runs.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { JobRecord, NewJob } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { safeFetch } from "../fetch/safe-fetch.ts";
import { INTERACTION_EVENT_TYPES, type InteractionEvent, type InteractionEventType } from "../interactions/events.ts";
import { resolveInteractionOptions } from "../interactions/options.ts";
import type { JobOutcome } from "../queue/worker.ts";
import { webhookBody } from "./webhook-body.ts";
import { webhookId, type WebhookConfig } from "./webhook-config.ts";
import { classifyWebhookResponse, nextWebhookAttempt } from "./webhook-retry-policy.ts";
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhookPayload, TIMESTAMP_HEADER } from "./webhook-signature.ts";
import { WEBHOOK_QUEUE } from "./webhook-queue.ts";

export { WEBHOOK_QUEUE } from "./webhook-queue.ts";

/** What a webhook job carries. */
export type WebhookJobPayload =
  | { kind: "http"; webhook: string; deliveryId: string; event: InteractionEventType; body: string }
  | { kind: "hook"; event: InteractionEvent };

const eventTypeSchema = z.enum(INTERACTION_EVENT_TYPES as [InteractionEventType, ...InteractionEventType[]]);

const eventSchema = z.object({
  type: eventTypeSchema,
  action: z.enum(["created", "updated", "deleted", "requested"]),
  uri: z.string(),
  url: z.string(),
  actor: z.object({
    uri: z.string(),
    name: z.string().nullable(),
    handle: z.string().nullable(),
    url: z.string(),
    iconUrl: z.string().nullable(),
  }),
  localActorUri: z.string(),
  targetUri: z.string().nullable(),
  content: z.string().nullable(),
  visibility: z.enum(["public", "unlisted", "followers", "direct"]),
  published: z.string().nullable(),
  stored: z.boolean(),
  occurredAt: z.string(),
});

const payloadSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("http"), webhook: z.string().min(1), deliveryId: z.string().min(1), event: eventTypeSchema, body: z.string() }),
  z.object({ kind: z.literal("hook"), event: eventSchema }),
]);

/** The answer a receiver's body is read up to; only the status matters. */
const RESPONSE_BYTES = 16 * 1024;

/** Actions webhooks fire for: something new, or new and awaiting approval. */
const FIRING_ACTIONS: ReadonlySet<InteractionEvent["action"]> = new Set(["created", "requested"]);

/** Parameters of {@link webhooksFor}. */
export interface WebhooksForParams {
  readonly webhooks: readonly WebhookConfig[];
  readonly event: InteractionEvent;
}

/** The webhooks an event fires: subscribed to its type, and to private ones only when they asked. */
export function webhooksFor(params: WebhooksForParams): WebhookConfig[] {
  const { event } = params;
  if (!FIRING_ACTIONS.has(event.action)) return [];
  const isPrivate = event.visibility === "followers" || event.visibility === "direct";
  return params.webhooks.filter(
    (webhook) => webhook.events.includes(event.type) && (!isPrivate || webhook.includePrivate === true),
  );
}

/** Parameters of {@link queueWebhooks}. */
export interface QueueWebhooksParams {
  readonly event: InteractionEvent;
}

/** Queues one delivery per webhook the event fires; the same event is never queued twice. Returns how many were queued. */
export async function queueWebhooks(ctx: FederationContext, params: QueueWebhooksParams): Promise<number> {
  const { event } = params;
  const webhooks = webhooksFor({ webhooks: resolveInteractionOptions({ options: ctx.interactions }).webhooks, event });
  if (webhooks.length === 0) return 0;
  const username = ctx.uris.parse(event.localActorUri)?.username;
  const localActorName = username === undefined ? event.localActorUri : `@${username}`;
  const now = ctx.now().toISOString();
  const jobs: NewJob[] = webhooks.map((webhook) => {
    const id = webhookId({ webhook });
    const deliveryId = randomUUID();
    const payload: WebhookJobPayload = {
      kind: "http",
      webhook: id,
      deliveryId,
      event: event.type,
      body: webhookBody({ event, deliveryId, format: webhook.format ?? "json", localActorName }),
    };
    return { queue: WEBHOOK_QUEUE, payload, runAt: now, dedupeKey: `${WEBHOOK_QUEUE}:${id}:${event.type}:${event.action}:${event.uri}` };
  });
  const queued = await ctx.store.jobs.enqueue(jobs);
  if (queued > 0) ctx.jobsQueued([WEBHOOK_QUEUE]);
  return queued;
}

/** Parameters of {@link queueHookRetry}. */
export interface QueueHookRetryParams {
  readonly event: InteractionEvent;
}

/** Queues another run of the onInteraction hook, which just threw for this event. */
export async function queueHookRetry(ctx: FederationContext, params: QueueHookRetryParams): Promise<void> {
  const { event } = params;
  const runAt = nextWebhookAttempt({ attempts: 1, now: ctx.now() }) ?? ctx.now();
  const payload: WebhookJobPayload = { kind: "hook", event };
  const queued = await ctx.store.jobs.enqueue([
    { queue: WEBHOOK_QUEUE, payload, runAt: runAt.toISOString(), dedupeKey: `${WEBHOOK_QUEUE}:hook:${event.type}:${event.action}:${event.uri}` },
  ]);
  if (queued > 0) ctx.jobsQueued([WEBHOOK_QUEUE]);
}

/** Runs one webhook job: a delivery, or a retry of the hook. */
export async function handleWebhookJob(ctx: FederationContext, job: JobRecord): Promise<JobOutcome> {
  const parsed = payloadSchema.safeParse(job.payload);
  if (!parsed.success) {
    ctx.logger.warn({ jobId: job.id, issues: parsed.error.issues }, "dropped a malformed webhook job");
    return { kind: "done" };
  }
  const payload = parsed.data;
  return payload.kind === "hook" ? runHook(ctx, job, payload.event) : deliver(ctx, job, payload);
}

async function runHook(ctx: FederationContext, job: JobRecord, event: InteractionEvent): Promise<JobOutcome> {
  const hook = resolveInteractionOptions({ options: ctx.interactions }).onInteraction;
  if (hook === undefined) return { kind: "done" };
  try {
    await hook(event);
    return { kind: "done" };
  } catch (error) {
    const message = `onInteraction failed: ${error instanceof Error ? error.message : String(error)}`;
    // The inline run that queued this job was the first attempt.
    const at = nextWebhookAttempt({ attempts: job.attempts + 2, now: ctx.now() });
    return at === null ? { kind: "fail", error: message } : { kind: "retry", at, error: message };
  }
}

async function deliver(
  ctx: FederationContext,
  job: JobRecord,
  payload: Extract<WebhookJobPayload, { kind: "http" }>,
): Promise<JobOutcome> {
  const webhooks = resolveInteractionOptions({ options: ctx.interactions }).webhooks;
  const webhook = webhooks.find((candidate) => webhookId({ webhook: candidate }) === payload.webhook);
  const log = ctx.logger.child({ component: "webhook", jobId: job.id, webhook: payload.webhook });
  if (webhook === undefined) {
    log.info("dropped a delivery for a webhook that is no longer configured");
    return { kind: "done" };
  }
  const now = ctx.now();
  const timestamp = Math.floor(now.getTime() / 1000);
  const headers = new Headers({
    "content-type": "application/json; charset=utf-8",
    [EVENT_HEADER]: payload.event,
    [DELIVERY_HEADER]: payload.deliveryId,
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signWebhookPayload({ secret: webhook.secret, timestamp, body: payload.body }),
  });
  const allowPrivate = webhook.allowPrivateAddresses ?? ctx.config.allowPrivateAddresses;
  const fetchCtx = allowPrivate === ctx.config.allowPrivateAddresses
    ? ctx
    : { ...ctx, config: { ...ctx.config, allowPrivateAddresses: allowPrivate } };
  const response = await safeFetch(fetchCtx, webhook.url, {
    method: "POST",
    headers,
    body: payload.body,
    timeoutMs: ctx.config.deliveryTimeoutMs,
    maxBytes: RESPONSE_BYTES,
    truncateBody: true,
    // A redirect would need the body re-sent elsewhere; a webhook URL that redirects is misconfigured.
    maxRedirects: 0,
  });
  const outcome = classifyWebhookResponse({ response, url: webhook.url, now: ctx.now() });
  switch (outcome.kind) {
    case "delivered":
      log.debug({ status: outcome.status }, "webhook delivered");
      return { kind: "done" };
    case "refused":
      log.warn({ error: outcome.message }, "webhook refused");
      return { kind: "fail", error: outcome.message };
    case "retry": {
      const at = nextWebhookAttempt({
        attempts: job.attempts + 1,
        now: ctx.now(),
        ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }),
      });
      log.info({ error: outcome.message, willRetry: at !== null }, "webhook delivery failed");
      return at === null ? { kind: "fail", error: `gave up: ${outcome.message}` } : { kind: "retry", at, error: outcome.message };
    }
  }
}
