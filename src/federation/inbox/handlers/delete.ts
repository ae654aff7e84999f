/**
 * Delete: of an object, it becomes a tombstone (only its author may delete
 * it); of the sending actor itself, everything kept about that actor goes.
 * A Delete of something never seen here is ignored: servers send Deletes to
 * everyone they ever delivered to, most of whom kept nothing.
 */
import { buildTombstone } from "../../../protocol/activities.ts";
import type { NormalizedActivity } from "../../../protocol/normalize.ts";
import { forgetCachedActor } from "../../actors/actor-resolver.ts";
import { withdrawInteractions } from "../../interactions/record-interaction.ts";
import type { HandlerOutcome, InboxHandlerContext } from "./handler.ts";

/** Tombstones an object deleted by its author, or forgets an actor that deleted itself. */
export async function handleDelete(ctx: InboxHandlerContext, activity: NormalizedActivity): Promise<HandlerOutcome> {
  const objectUri = activity.object;
  if (objectUri === undefined) return { kind: "ignored", note: "Delete has no object id" };
  if (objectUri === activity.actor) return forgetActor(ctx, activity.actor);

  const object = await ctx.store.objects.get(objectUri);
  if (object === null) return { kind: "ignored", note: "deleted object is unknown here" };
  if (object.local) return { kind: "ignored", note: "a remote actor cannot delete a local object" };
  if (object.attributedTo !== activity.actor) return { kind: "ignored", note: "only the author may delete an object" };
  if (object.deletedAt !== null) return { kind: "ignored", note: "object is already deleted" };

  const deletedAt = ctx.now().toISOString();
  await ctx.store.objects.tombstone(objectUri, {
    deletedAt,
    formerType: object.type,
    tombstone: buildTombstone({ id: objectUri, formerType: object.type, deleted: deletedAt }),
  });
  await withdrawInteractions(ctx, { uri: objectUri });
  return { kind: "applied" };
}

async function forgetActor(ctx: InboxHandlerContext, actorUri: string): Promise<HandlerOutcome> {
  const actor = await ctx.store.actors.get(actorUri);
  if (actor === null) return { kind: "ignored", note: "deleted actor is unknown here" };
  if (actor.local) return { kind: "ignored", note: "a local actor cannot be deleted from outside" };

  await ctx.store.transaction(async (tx) => {
    await tx.follows.removeAllFor(actorUri);
    await tx.reactions.removeByActor(actorUri);
    await tx.interactions.removeByActor(actorUri);
    await tx.objects.removeByAuthor(actorUri);
    await tx.blocks.removeByActor(actorUri);
    await tx.keys.removeForOwner(actorUri);
    await tx.actors.remove(actorUri);
  });
  // Otherwise a cached key would still verify requests signed in the deleted actor's name.
  forgetCachedActor(ctx, actorUri);
  return { kind: "applied", note: "actor and everything it left here removed" };
}
