/**
 * Processing of a queued inbox job: the activity was verified when it was
 * received; here it is checked against what is stored (seen before? sent by
 * someone the recipients block?), handed to the handler of its type, recorded
 * with an inbox entry for each local recipient, and shown to plugins.
 */
import { recipientsOf, stripHiddenRecipients, visibilityOf } from "../../protocol/addressing.ts";
import { normalizeActivity, type NormalizedActivity } from "../../protocol/normalize.ts";
import type { ActivityRecord, JobRecord } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";
import type { FederationContext } from "../context.ts";
import type { JobOutcome } from "../queue/worker.ts";
import type { HandlerOutcome, InboxHandlerContext } from "./handlers/handler.ts";
import { inboxHandlerFor } from "./handlers/index.ts";
import { inboxJobPayloadSchema } from "./inbox-job.ts";
import { createInboxLookups, type InboxLookups } from "./inbox-lookups.ts";
import { localRecipientsOf } from "./local-recipients.ts";
import { runInboxPlugins } from "./plugin-runner.ts";
import { INBOX_MAX_ATTEMPTS, inboxRetryDelayMs } from "./retry-policy.ts";
import { isDroppedWhenBlocked } from "./block-policy.ts";

export { INBOX_QUEUE } from "./inbox-job.ts";

/**
 * Runs one inbox job. Malformed jobs and activities are logged and finished
 * (retrying cannot fix them); an unreachable remote server makes the job
 * retry with backoff.
 */
export async function handleInboxJob(ctx: FederationContext, job: JobRecord): Promise<JobOutcome> {
  // Bindings go with each call instead of into a child logger: most jobs log
  // nothing at the configured level, and a child costs more than that.
  const log = ctx.logger;
  const about: Record<string, unknown> = { component: "inbox", jobId: job.id };
  const payload = inboxJobPayloadSchema.safeParse(job.payload);
  if (!payload.success) {
    log.warn({ ...about, issues: payload.error.issues }, "dropped a malformed inbox job");
    return { kind: "done" };
  }
  const { signerUri, recipientUsername, receivedAt } = payload.data;
  const local = payload.data.local === true;
  const normalized = normalizeActivity(payload.data.activity);
  if (!normalized.ok) {
    log.warn({ ...about, reason: normalized.reason, message: normalized.message }, "dropped an unreadable activity");
    return { kind: "done" };
  }
  const activity = normalized.value;
  Object.assign(about, { activity: activity.id, type: activity.type, actor: activity.actor });

  // Local activities were stored by the outbox before they were queued, so only remote ones are deduplicated here.
  if (!local && (await ctx.store.activities.get(activity.id)) !== null) {
    log.debug(about, "activity was processed before");
    return { kind: "done" };
  }

  const lookups = createInboxLookups(ctx);
  const jobCtx = { ...ctx, lookups };
  const recipients = await localRecipientsOf(
    jobCtx,
    recipientUsername === undefined ? { activity } : { activity, recipientUsername },
  );
  if (isDroppedWhenBlocked(activity.type)) {
    const blockers = await ctx.store.blocks.blockersAmong(recipients, activity.actor);
    if (blockers.length > 0) {
      log.info({ ...about, blockers }, "dropped an activity from a blocked actor");
      return { kind: "done" };
    }
  }

  const recordParams: RecordParams = { activity, recipients, receivedAt, local, lookups };
  let recordedByHandler: boolean | undefined;
  const handlerCtx: InboxHandlerContext = {
    ...jobCtx,
    signerUri,
    local,
    ...(recipientUsername === undefined ? {} : { recipientUsername }),
    prepareRecord: async () => {
      const activityRecord = local ? null : await activityRecordOf(recordParams);
      return async (tx) => {
        recordedByHandler = await storeRecord(tx, activityRecord, recordParams);
        return recordedByHandler;
      };
    },
  };
  const handler = inboxHandlerFor({ type: activity.type });
  if (handler === undefined) log.info(about, "no handler for this activity type; only plugins will see it");
  const outcome: HandlerOutcome =
    handler === undefined ? { kind: "ignored", note: `no handler for ${activity.type}` } : await handler(handlerCtx, activity);

  if (outcome.kind === "retry") {
    const delay = inboxRetryDelayMs({ attempts: job.attempts + 1, maxAttempts: INBOX_MAX_ATTEMPTS });
    log.info({ ...about, error: outcome.error, willRetry: delay !== null }, "inbox processing failed");
    if (delay === null) return { kind: "fail", error: outcome.error };
    return { kind: "retry", at: new Date(ctx.now().getTime() + delay), error: outcome.error };
  }
  log.debug({ ...about, outcome: outcome.kind, note: outcome.note }, "processed an activity");

  // What was neither applied nor meant for anyone here is not kept: most of it is fan-out noise.
  if (recordedByHandler === undefined && outcome.kind === "ignored" && recipients.length === 0) return { kind: "done" };
  const recorded = recordedByHandler ?? (await record(ctx, recordParams));
  if (recorded) await runInboxPlugins(ctx, { activity, localRecipients: recipients, signerUri });
  return { kind: "done" };
}

interface RecordParams {
  readonly activity: NormalizedActivity;
  readonly recipients: readonly string[];
  readonly receivedAt: string;
  readonly local: boolean;
  readonly lookups: InboxLookups;
}

/** Stores a remote activity and the inbox entries of its recipients; false when it was stored already. */
async function record(ctx: FederationContext, params: RecordParams): Promise<boolean> {
  // A local activity was stored by the outbox: its inbox entries alone need no transaction.
  if (params.local) return storeRecord(ctx.store, null, params);
  const activityRecord = await activityRecordOf(params);
  return ctx.store.transaction((tx) => storeRecord(tx, activityRecord, params));
}

/** The stored form of a remote activity; its visibility depends on the sender's followers collection. */
async function activityRecordOf(params: RecordParams): Promise<ActivityRecord> {
  const { activity, receivedAt } = params;
  const sender = await params.lookups.actor(activity.actor);
  const followersUri = sender?.followersUri ?? undefined;
  const addressing = { to: activity.to, cc: activity.cc };
  return {
    uri: activity.id,
    type: activity.type,
    actorUri: activity.actor,
    objectUri: activity.object ?? null,
    targetUri: activity.target ?? null,
    local: false,
    visibility: visibilityOf(followersUri === undefined ? addressing : { ...addressing, followersUri }),
    recipients: recipientsOf(activity.raw),
    document: stripHiddenRecipients(activity.raw),
    published: isoTime(activity.published) ?? receivedAt,
  };
}

/** Writes the activity (none for a local one, which the outbox stored) and its inbox entries; false when it was stored already. */
async function storeRecord(tx: Store, activityRecord: ActivityRecord | null, params: RecordParams): Promise<boolean> {
  if (activityRecord !== null && !(await tx.activities.add(activityRecord))) return false;
  if (params.recipients.length > 0) await tx.inbox.add(params.activity.id, params.recipients, params.receivedAt);
  return true;
}

/** A sender's timestamp in the store's ISO form, or undefined when it is missing or not a date. */
function isoTime(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

