/**
 * Liking a post and taking the like back. The Like goes to the author only;
 * the reaction is recorded so it shows in the actor's `liked` collection and
 * on the post when the post is ours.
 */
import { buildLike } from "../../../protocol/activities.ts";
import type { ActorRecord } from "../../../store/records.ts";
import type { FederationContext } from "../../context.ts";
import { publishActivity } from "../publish.ts";
import { refuse, type ActionFailure, type Published } from "./action-result.ts";
import { activeReaction } from "./active-reaction.ts";
import { guardActor, type ActorGuardReason } from "./actor-guard.ts";
import { findObject, type FindObjectReason } from "./find-object.ts";
import { newActivityUri } from "./mint-uris.ts";
import { undoReaction } from "./undo-reaction.ts";

/** Parameters of {@link likeObject} and {@link unlikeObject}. */
export interface LikeObjectParams {
  readonly actor: ActorRecord;
  readonly objectUri: string;
}

/** Why the post was not liked. */
export type LikeObjectReason = ActorGuardReason | FindObjectReason | "alreadyLiked";

/** The Like sent, or why not. */
export type LikeObjectResult = (Published & { readonly objectUri: string }) | ActionFailure<LikeObjectReason>;

/** Likes a post (local or remote) and records the reaction. */
export async function likeObject(ctx: FederationContext, params: LikeObjectParams): Promise<LikeObjectResult> {
  const { actor } = params;
  const refused = guardActor({ actor });
  if (refused !== null) return refused;
  const found = await findObject(ctx, { uri: params.objectUri });
  if (!found.ok) return found;
  const object = found.object;
  if ((await activeReaction(ctx, { actorUri: actor.uri, type: "Like", objectUri: object.uri })) !== null) {
    return refuse({ reason: "alreadyLiked", message: `${actor.uri} already likes ${object.uri}` });
  }

  const activityUri = newActivityUri(ctx, { actor });
  const createdAt = ctx.now().toISOString();
  const like = buildLike({ id: activityUri, actor: actor.uri, object: object.uri, to: [object.attributedTo] });
  const published = await publishActivity(ctx, {
    actor,
    activity: like,
    alsoWrite: async (tx) => {
      await tx.reactions.add({ activityUri, type: "Like", actorUri: actor.uri, objectUri: object.uri, createdAt });
    },
  });
  return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries, objectUri: object.uri };
}

/** Why no like was taken back. */
export type UnlikeObjectReason = ActorGuardReason | "notLiked";

/** The Undo sent, or why not. */
export type UnlikeObjectResult = Published | ActionFailure<UnlikeObjectReason>;

/**
 * Takes a like back with Undo(Like), embedding the Like. Works for posts
 * deleted since, so a like never gets stuck.
 */
export function unlikeObject(ctx: FederationContext, params: LikeObjectParams): Promise<UnlikeObjectResult> {
  const { actor, objectUri } = params;
  return undoReaction(ctx, { actor, objectUri, type: "Like", missing: { reason: "notLiked", message: `${actor.uri} does not like ${objectUri}` } });
}
