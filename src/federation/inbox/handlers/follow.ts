/**
 * Follow of a local actor. The follower is stored and, unless the local
 * actor approves followers by hand, accepted at once. A repeated Follow of an
 * accepted follow is accepted again: the remote side evidently lost track of
 * it, and a fresh Accept repairs that.
 */
import { buildAccept, buildReject } from "../../../protocol/activities.ts";
import { stripHiddenRecipients } from "../../../protocol/addressing.ts";
import type { NormalizedActivity } from "../../../protocol/normalize.ts";
import { mintId } from "../../../protocol/uris.ts";
import type { ActorRecord, FollowRecord, FollowState } from "../../../store/records.ts";
import type { Store } from "../../../store/store.ts";
import { notifyFollow } from "../../interactions/notify-follow.ts";
import { publishActivity } from "../../outbox/publish.ts";
import { findLiveLocalActor } from "../local-actor-lookup.ts";
import type { HandlerOutcome, InboxHandlerContext } from "./handler.ts";
import { lookUpActor } from "./remote-lookups.ts";

/** Stores a follower of a local actor and accepts (or, for a blocked follower, rejects) the Follow. */
export async function handleFollow(ctx: InboxHandlerContext, activity: NormalizedActivity): Promise<HandlerOutcome> {
  if (activity.object === undefined) return { kind: "ignored", note: "Follow has no object id" };
  const target = await findLiveLocalActor(ctx, { uri: activity.object });
  if (target === null) return { kind: "ignored", note: "followed actor is not a local actor" };
  const username = ctx.uris.parse(target.uri)?.kind === "actor" ? target.username : null;
  if (username === null) return { kind: "ignored", note: "the instance actor cannot be followed" };
  if (target.uri === activity.actor) return { kind: "ignored", note: "an actor cannot follow itself" };

  const follower = await lookUpActor(ctx, { uri: activity.actor });
  if (!follower.ok) return follower.outcome;

  // The Follow itself is stored with what it changes, in one commit.
  const recordFollow = await ctx.prepareRecord?.();
  const withFollowStored =
    (change: (tx: Store) => Promise<unknown>) =>
    async (tx: Store): Promise<void> => {
      await change(tx);
      await recordFollow?.(tx);
    };
  if ((await ctx.store.blocks.get(target.uri, activity.actor)) !== null) {
    await answer(ctx, {
      type: "Reject",
      target,
      username,
      follow: activity,
      write: withFollowStored((tx) => tx.follows.remove(activity.actor, target.uri)),
    });
    return { kind: "applied", note: "rejected a follow from a blocked actor" };
  }

  const existing = await ctx.store.follows.get(activity.actor, target.uri);
  const state: FollowState =
    existing?.state === "accepted" || !target.manuallyApprovesFollowers ? "accepted" : "pending";
  // The latest Follow's id is the one the follower expects to see in an Accept or Undo.
  const follow: FollowRecord = {
    followerUri: activity.actor,
    followeeUri: target.uri,
    activityUri: activity.id,
    state,
    createdAt: existing?.createdAt ?? ctx.now().toISOString(),
  };
  if (state === "pending") {
    await ctx.store.transaction(withFollowStored((tx) => tx.follows.put(follow)));
    if (existing === null) await notifyFollow(ctx, { activity, follower: follower.actor, followee: target, pending: true });
    return { kind: "applied", note: "follow awaits approval" };
  }
  await answer(ctx, {
    type: "Accept",
    target,
    username,
    follow: activity,
    write: withFollowStored((tx) => tx.follows.put(follow)),
  });
  if (existing === null) await notifyFollow(ctx, { activity, follower: follower.actor, followee: target, pending: false });
  return { kind: "applied", note: existing === null ? "follow accepted" : "follow accepted again" };
}

interface AnswerParams {
  readonly type: "Accept" | "Reject";
  readonly target: ActorRecord;
  readonly username: string;
  readonly follow: NormalizedActivity;
  /** The follow change, committed together with the answer. */
  readonly write: (tx: Store) => Promise<void>;
}

/** Publishes an Accept or Reject of the Follow, embedding it as received, with the follow change in the same transaction. */
async function answer(ctx: InboxHandlerContext, params: AnswerParams): Promise<void> {
  const { target, follow } = params;
  const build = params.type === "Accept" ? buildAccept : buildReject;
  const activity = build({
    id: ctx.uris.activity(params.username, mintId(ctx.now().getTime())),
    actor: target.uri,
    object: stripHiddenRecipients(follow.raw),
  });
  await publishActivity(ctx, { actor: target, activity, extraRecipients: [follow.actor], alsoWrite: params.write });
}
