/**
 * Announce (boost): of one of our objects it is counted as a share; of a
 * remote object it is kept when a local actor follows the booster, so it can
 * appear in that actor's inbox. The boosted object itself is not fetched:
 * readers follow its id.
 */
import type { NormalizedActivity } from "../../../protocol/normalize.ts";
import { localFollowersOf } from "../local-recipients.ts";
import { recordReaction } from "../../interactions/record-reaction.ts";
import type { HandlerOutcome, InboxHandlerContext } from "./handler.ts";

/** Records an Announce of a local object, or of any object by someone a local actor follows. */
export async function handleAnnounce(ctx: InboxHandlerContext, activity: NormalizedActivity): Promise<HandlerOutcome> {
  const objectUri = activity.object;
  if (objectUri === undefined) return { kind: "ignored", note: "Announce has no object id" };

  if (ctx.uris.isLocal(objectUri)) {
    const object = await ctx.store.objects.get(objectUri);
    if (object === null || object.deletedAt !== null) return { kind: "ignored", note: "announced object does not exist" };
    if (object.attributedTo !== null && (await ctx.store.blocks.get(object.attributedTo, activity.actor)) !== null) {
      return { kind: "ignored", note: "the object's author blocks the actor" };
    }
  } else if ((await localFollowersOf(ctx, { actorUri: activity.actor })).length === 0) {
    return { kind: "ignored", note: "announced a remote object and no local actor follows the announcer" };
  }

  // Kept as a reaction for remote objects too, so that an Undo finds it the same way.
  const added = await ctx.store.reactions.add({
    activityUri: activity.id,
    type: "Announce",
    actorUri: activity.actor,
    objectUri,
    createdAt: ctx.now().toISOString(),
  });
  // Also when this very Announce was stored before (a retried job); a second boost of the same object is not a new interaction.
  if (added || (await ctx.store.reactions.getByActivity(activity.id)) !== null) await recordReaction(ctx, { activity, kind: "boost" });
  return added ? { kind: "applied" } : { kind: "ignored", note: "already announced" };
}
