/**
 * A client's Follow, Block, Like and Announce, and Accept or Reject of a
 * follow request. They name something (an actor, a post, a Follow) rather
 * than carry content, so they are carried out by the same outbox verbs the
 * command line uses: a follow is pending until its Accept arrives, a like
 * shows in the `liked` collection, a block is recorded but never sent.
 */
import { idOf, isJsonObject } from "../../protocol/json-ld.ts";
import type { ActorRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { announceObject } from "../outbox/actions/announce-object.ts";
import { blockActor } from "../outbox/actions/block-actor.ts";
import { followActor } from "../outbox/actions/follow-actor.ts";
import { acceptFollower, rejectFollower } from "../outbox/actions/follow-requests.ts";
import { likeObject } from "../outbox/actions/like-object.ts";
import { moveActor } from "../outbox/actions/move-actor.ts";
import { objectIdOf } from "./client-activity.ts";
import { fromAction, submitFailure, type SubmitResult } from "./submit-result.ts";

/** The activity types handled here. */
export const RELATIONSHIP_TYPES: ReadonlySet<string> = new Set(["Follow", "Block", "Like", "Announce", "Accept", "Reject", "Move"]);

/** Parameters of {@link submitRelationship}. */
export interface SubmitRelationshipParams {
  readonly actor: ActorRecord;
  readonly activity: Record<string, unknown>;
  readonly type: string;
}

/** Carries out a Follow, Block, Like, Announce, Accept, Reject or Move. */
export async function submitRelationship(ctx: FederationContext, params: SubmitRelationshipParams): Promise<SubmitResult> {
  const { actor, activity, type } = params;
  const target = objectIdOf({ activity });
  if (target === undefined) return submitFailure({ reason: "invalidObject", message: `a ${type} needs the id of its object` });
  switch (type) {
    case "Follow":
      return fromAction({ result: await followActor(ctx, { actor, target }) });
    case "Block":
      return fromAction({ result: await blockActor(ctx, { actor, target }) });
    case "Like":
      return fromAction({ result: await likeObject(ctx, { actor, objectUri: target }) });
    case "Announce":
      return fromAction({ result: await announceObject(ctx, { actor, objectUri: target }) });
    case "Move": {
      const destination = objectIdOf({ activity, property: "target" });
      if (target !== actor.uri || destination === undefined) {
        return submitFailure({ reason: "invalidObject", message: "a Move needs the actor itself as object and its new account as target" });
      }
      return fromAction({ result: await moveActor(ctx, { actor, target: destination }) });
    }
    case "Accept":
    case "Reject":
      return answerFollowRequest(ctx, { actor, activity, type, followUri: target });
    default:
      return submitFailure({ reason: "unsupportedType", message: `${type} is not handled here` });
  }
}

/** Parameters of {@link answerFollowRequest}. */
interface AnswerFollowRequestParams {
  readonly actor: ActorRecord;
  readonly activity: Record<string, unknown>;
  readonly type: "Accept" | "Reject";
  readonly followUri: string;
}

/** Accept or Reject of a Follow addressed to the actor: found by the Follow's id (or its follower when embedded). */
async function answerFollowRequest(ctx: FederationContext, params: AnswerFollowRequestParams): Promise<SubmitResult> {
  const { actor, type } = params;
  const follow = await ctx.store.follows.getByActivity(params.followUri);
  const embedded = isJsonObject(params.activity.object) ? idOf(params.activity.object.actor) : undefined;
  const follower = follow?.followeeUri === actor.uri ? follow.followerUri : embedded;
  if (follower === undefined) {
    return submitFailure({ reason: "notFound", message: `${params.followUri.slice(0, 200)} is not a follow request to ${actor.uri}` });
  }
  const result = type === "Accept" ? await acceptFollower(ctx, { actor, follower }) : await rejectFollower(ctx, { actor, follower });
  return fromAction({ result });
}
