/**
 * Answering follow requests of an actor that approves followers by hand.
 * Accept and Reject embed the Follow they answer, since receivers look up
 * their pending follow by that Follow's id and actor.
 */
import { buildAccept, buildReject } from "../../../protocol/activities.ts";
import type { ActorRecord, FollowRecord } from "../../../store/records.ts";
import type { FederationContext } from "../../context.ts";
import { publishActivity } from "../publish.ts";
import { refuse, type ActionFailure, type Published } from "./action-result.ts";
import { guardActor, type ActorGuardReason } from "./actor-guard.ts";
import { earlierActivity } from "./earlier-activity.ts";
import { newActivityUri } from "./mint-uris.ts";

/** Parameters of {@link acceptFollower} and {@link rejectFollower}. */
export interface FollowRequestParams {
  readonly actor: ActorRecord;
  /** The follower's actor URI. */
  readonly follower: string;
}

/** Why the request was not accepted. */
export type AcceptFollowerReason = ActorGuardReason | "noRequest" | "alreadyAccepted";

/** The Accept sent, or why not. */
export type AcceptFollowerResult = Published | ActionFailure<AcceptFollowerReason>;

/** Accepts a pending follow request: the follower starts receiving the actor's posts. */
export async function acceptFollower(ctx: FederationContext, params: FollowRequestParams): Promise<AcceptFollowerResult> {
  const { actor, follower } = params;
  const guarded = guardActor({ actor });
  if (guarded !== null) return guarded;
  const follow = await ctx.store.follows.get(follower, actor.uri);
  if (follow === null) return refuse({ reason: "noRequest", message: `${follower} has not asked to follow ${actor.uri}` });
  if (follow.state === "accepted") return refuse({ reason: "alreadyAccepted", message: `${follower} already follows ${actor.uri}` });

  const accept = buildAccept({ id: newActivityUri(ctx, { actor }), actor: actor.uri, object: await followOf(ctx, follow), to: [follower] });
  const published = await publishActivity(ctx, {
    actor,
    activity: accept,
    alsoWrite: async (tx) => {
      await tx.follows.setState(follower, actor.uri, "accepted");
    },
  });
  return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries };
}

/** Why nothing was rejected. */
export type RejectFollowerReason = ActorGuardReason | "noRequest";

/** The Reject sent, or why not. */
export type RejectFollowerResult = Published | ActionFailure<RejectFollowerReason>;

/**
 * Rejects a follow request, or removes an accepted follower (the same Reject
 * tells the follower's server that the follow is over).
 */
export async function rejectFollower(ctx: FederationContext, params: FollowRequestParams): Promise<RejectFollowerResult> {
  const { actor, follower } = params;
  const guarded = guardActor({ actor });
  if (guarded !== null) return guarded;
  const follow = await ctx.store.follows.get(follower, actor.uri);
  if (follow === null) return refuse({ reason: "noRequest", message: `${follower} does not follow ${actor.uri} nor asked to` });

  const reject = buildReject({ id: newActivityUri(ctx, { actor }), actor: actor.uri, object: await followOf(ctx, follow), to: [follower] });
  const published = await publishActivity(ctx, {
    actor,
    activity: reject,
    alsoWrite: async (tx) => {
      await tx.follows.remove(follower, actor.uri);
    },
  });
  return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries };
}

/** The Follow being answered, trimmed to what receivers match on. */
async function followOf(ctx: FederationContext, follow: FollowRecord): Promise<Record<string, unknown>> {
  const document = await earlierActivity(ctx, {
    uri: follow.activityUri,
    type: "Follow",
    actor: follow.followerUri,
    object: follow.followeeUri,
  });
  return { id: document.id, type: "Follow", actor: follow.followerUri, object: follow.followeeUri };
}
