/**
 * Like: a remote actor favourites one of our objects. Likes of objects kept
 * from elsewhere are not counted here: their own server counts them.
 */
import type { NormalizedActivity } from "../../../protocol/normalize.ts";
import { recordReaction } from "../../interactions/record-reaction.ts";
import type { HandlerOutcome, InboxHandlerContext } from "./handler.ts";

/** Records a Like of a local object; liking twice counts once. */
export async function handleLike(ctx: InboxHandlerContext, activity: NormalizedActivity): Promise<HandlerOutcome> {
  const objectUri = activity.object;
  if (objectUri === undefined) return { kind: "ignored", note: "Like has no object id" };
  if (!ctx.uris.isLocal(objectUri)) return { kind: "ignored", note: "liked object is not local" };
  const object = await ctx.store.objects.get(objectUri);
  if (object === null || object.deletedAt !== null) return { kind: "ignored", note: "liked object does not exist" };
  if (object.attributedTo !== null && (await ctx.store.blocks.get(object.attributedTo, activity.actor)) !== null) {
    return { kind: "ignored", note: "the object's author blocks the actor" };
  }

  const added = await ctx.store.reactions.add({
    activityUri: activity.id,
    type: "Like",
    actorUri: activity.actor,
    objectUri,
    createdAt: ctx.now().toISOString(),
  });
  // Also when this very Like was stored before (a retried job); a second Like of the same object is not a new interaction.
  if (added || (await ctx.store.reactions.getByActivity(activity.id)) !== null) await recordReaction(ctx, { activity, kind: "like" });
  return added ? { kind: "applied" } : { kind: "ignored", note: "already liked" };
}
