/**
 * Publishing: the one way a local activity leaves this server. Targets are
 * resolved first (that needs the network and must not hold a transaction
 * open), then the activity, its object and every delivery job are written in
 * one transaction. A crash before the commit leaves nothing half-published; a
 * crash after it loses no delivery, since the jobs are already durable.
 */
import { idOf } from "../../protocol/json-ld.ts";
import { recipientsOf, stripHiddenRecipients, visibilityOf } from "../../protocol/addressing.ts";
import { addressList } from "../../protocol/normalize-helpers.ts";
import type { ActivityRecord, ActorRecord, NewJob, ObjectRecord } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";
import type { FederationContext } from "../context.ts";
import { DELIVERY_QUEUE, type DeliveryJobPayload } from "../delivery/delivery-job.ts";
import { INBOX_QUEUE, inboxJobDedupeKey, type InboxJobPayload } from "../inbox/inbox-job.ts";
import { deliveryTargets } from "./delivery-targets.ts";
import { isUndeliverable, reachesBlockedActors } from "./undeliverable.ts";

/** Parameters of {@link publishActivity}. */
export interface PublishParams {
  /** The local actor the activity is by; it signs every delivery. */
  readonly actor: ActorRecord;
  /** The activity with its `id`; `published` is added when missing. */
  readonly activity: Record<string, unknown>;
  /** The object the activity creates or changes, stored with it. */
  readonly object?: ObjectRecord;
  /** Actors that receive the activity without being addressed (e.g. followees of a deleted account). */
  readonly extraRecipients?: readonly string[];
  /**
   * Further writes that must commit with the activity (the follow a Follow
   * asks for, the reaction a Like records). Not run when the activity was
   * already published.
   */
  readonly alsoWrite?: (tx: Store) => Promise<void>;
}

/** What publishing did. */
export interface PublishResult {
  readonly activityUri: string;
  /** Remote inboxes a delivery was queued for. */
  readonly deliveries: number;
}

/**
 * Stores a local activity and queues its deliveries: one `deliver` job per
 * remote inbox and one `inbox` job when local actors receive it. Publishing
 * the same activity id again changes nothing. Throws when the activity has no
 * id or is not by `actor`: that is a mistake in the caller, not in user input.
 */
export async function publishActivity(ctx: FederationContext, params: PublishParams): Promise<PublishResult> {
  const { actor, object } = params;
  const activityUri = typeof params.activity.id === "string" ? params.activity.id : undefined;
  if (activityUri === undefined) throw new TypeError("publishActivity: the activity has no id");
  if (idOf(params.activity.actor) !== actor.uri) {
    throw new TypeError(`publishActivity: ${activityUri} is not by ${actor.uri}`);
  }
  const now = ctx.now().toISOString();
  const published = typeof params.activity.published === "string" ? params.activity.published : now;
  const activity: Record<string, unknown> = { ...params.activity, published };

  const recipients = recipientsOf(activity);
  const named = new Set(recipientsOf({ to: activity.to, cc: activity.cc, audience: activity.audience }));
  const hidden = recipients.filter((uri) => !named.has(uri));
  const undeliverable = isUndeliverable({ activity });
  const targets = undeliverable
    ? { remote: [], local: [] }
    : await deliveryTargets(ctx, {
        actor,
        recipients: [...recipients, ...(params.extraRecipients ?? [])],
        hidden,
        includeBlocked: reachesBlockedActors({ activity }),
      });

  const record: ActivityRecord = {
    uri: activityUri,
    type: typeof activity.type === "string" ? activity.type : "Activity",
    actorUri: actor.uri,
    objectUri: idOf(activity.object) ?? null,
    targetUri: idOf(activity.target) ?? null,
    local: true,
    visibility: visibilityOf({
      to: addressList(activity.to),
      cc: addressList(activity.cc),
      ...(actor.followersUri === null ? {} : { followersUri: actor.followersUri }),
    }),
    recipients,
    document: stripHiddenRecipients(activity),
    published,
  };

  const jobs: NewJob[] = targets.remote.map((target) => {
    const payload: DeliveryJobPayload = {
      activityUri,
      inbox: target.inbox,
      signerUri: actor.uri,
      recipientUris: target.recipientUris,
    };
    return {
      queue: DELIVERY_QUEUE,
      payload,
      dedupeKey: `deliver:${activityUri}:${target.inbox}`,
      groupKey: activityUri,
      runAt: now,
    };
  });
  if (targets.local.length > 0) {
    // Local recipients read the addressing (bto/bcc included) to know who they are; this never leaves the server.
    const payload: InboxJobPayload = { activity, signerUri: actor.uri, receivedAt: now, local: true };
    jobs.push({ queue: INBOX_QUEUE, payload, dedupeKey: inboxJobDedupeKey({ activityId: activityUri }), groupKey: activityUri, runAt: now });
  }

  const queued = await ctx.store.transaction(async (tx) => {
    if (!(await tx.activities.add(record))) return false;
    if (object !== undefined) await tx.objects.put(object);
    if (params.alsoWrite !== undefined) await params.alsoWrite(tx);
    if (jobs.length > 0) await tx.jobs.enqueue(jobs);
    return true;
  });
  if (!queued) {
    ctx.logger.info({ activityUri }, "activity already published; nothing queued");
    return { activityUri, deliveries: 0 };
  }
  if (jobs.length > 0) ctx.jobsQueued([...new Set(jobs.map((job) => job.queue))]);
  return { activityUri, deliveries: targets.remote.length };
}
