/**
 * A client's Undo: of the actor's own Follow, Like, Announce or Block, and
 * only those (ActivityPub §6.10: the Undo and the undone activity must have
 * the same actor). What is undone is the relationship the activity made.
 */
import type { ActorRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { unannounceObject } from "../outbox/actions/announce-object.ts";
import { unblockActor } from "../outbox/actions/block-actor.ts";
import { unlikeObject } from "../outbox/actions/like-object.ts";
import { unfollowActor } from "../outbox/actions/unfollow-actor.ts";
import { objectIdOf } from "./client-activity.ts";
import { fromAction, submitFailure, type SubmitResult } from "./submit-result.ts";

/** Parameters of {@link submitUndo}. */
export interface SubmitUndoParams {
  readonly actor: ActorRecord;
  readonly activity: Record<string, unknown>;
}

/** Undoes one of the actor's earlier activities. */
export async function submitUndo(ctx: FederationContext, params: SubmitUndoParams): Promise<SubmitResult> {
  const { actor, activity } = params;
  const id = objectIdOf({ activity });
  if (id === undefined) return submitFailure({ reason: "invalidObject", message: "an Undo needs the id of the activity it undoes" });
  const earlier = await ctx.store.activities.get(id);
  if (earlier === null) return submitFailure({ reason: "notFound", message: `there is no activity ${id.slice(0, 200)} on this server` });
  if (!earlier.local || earlier.actorUri !== actor.uri) {
    return submitFailure({ reason: "notYours", message: `${id.slice(0, 200)} is not an activity of ${actor.uri}; only its own actor may undo it` });
  }
  const objectUri = earlier.objectUri;
  if (objectUri === null) return submitFailure({ reason: "invalidObject", message: `${id} has no object to undo` });
  switch (earlier.type) {
    case "Follow":
      return fromAction({ result: await unfollowActor(ctx, { actor, target: objectUri }) });
    case "Like":
      return fromAction({ result: await unlikeObject(ctx, { actor, objectUri }) });
    case "Announce":
      return fromAction({ result: await unannounceObject(ctx, { actor, objectUri }) });
    case "Block":
      return fromAction({ result: await unblockActor(ctx, { actor, target: objectUri }) });
    default:
      return submitFailure({ reason: "unsupportedType", message: `a ${earlier.type} cannot be undone; only Follow, Like, Announce and Block can` });
  }
}
