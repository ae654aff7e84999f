/**
 * Move: a remote actor moved to a new account. Honoured only when the new
 * account confirms it (its `alsoKnownAs` lists the old one, fetched fresh
 * from its own server), since otherwise anyone could redirect someone else's
 * followers. Local followers of the old account then follow the new one.
 */
import type { NormalizedActivity } from "../../../protocol/normalize.ts";
import { forgetCachedActor } from "../../actors/actor-resolver.ts";
import { followActor } from "../../outbox/actions/follow-actor.ts";
import { localFollowersOf } from "../local-recipients.ts";
import type { HandlerOutcome, InboxHandlerContext } from "./handler.ts";
import { lookUpActor } from "./remote-lookups.ts";

/** Moves local followers of an actor to the account it moved to, once the new account confirms the move. */
export async function handleMove(ctx: InboxHandlerContext, activity: NormalizedActivity): Promise<HandlerOutcome> {
  const sourceUri = activity.actor;
  if (ctx.local) return { kind: "ignored", note: "local moves are made by the outbox" };
  if (activity.object !== sourceUri) return { kind: "ignored", note: "an actor may only move itself" };
  const targetUri = activity.target;
  if (targetUri === undefined) return { kind: "ignored", note: "Move has no target" };
  if (targetUri === sourceUri) return { kind: "ignored", note: "Move targets the moving actor itself" };

  const target = await lookUpActor(ctx, { uri: targetUri, refresh: true });
  if (!target.ok) return target.outcome;
  if (!target.actor.alsoKnownAs.includes(sourceUri)) {
    return { kind: "ignored", note: "the target does not list the moving actor in alsoKnownAs" };
  }

  const source = await ctx.store.actors.get(sourceUri);
  if (source !== null && !source.local && source.movedTo !== targetUri) {
    await ctx.store.actors.put({ ...source, movedTo: targetUri, updatedAt: ctx.now().toISOString() });
    forgetCachedActor(ctx, sourceUri);
  }

  let moved = 0;
  for (const followerUri of await localFollowersOf(ctx, { actorUri: sourceUri })) {
    const follower = await ctx.store.actors.get(followerUri);
    if (follower === null || !follower.local || follower.deletedAt !== null) continue;
    // A local actor that blocks the new account keeps its block; the old follow still ends.
    if ((await ctx.store.blocks.get(follower.uri, targetUri)) === null) {
      const followed = await followActor(ctx, { actor: follower, target: targetUri });
      if (!followed.ok) ctx.logger.info({ follower: follower.uri, target: targetUri, message: followed.message }, "could not follow a moved actor");
    }
    await ctx.store.follows.remove(follower.uri, sourceUri);
    moved += 1;
  }
  return { kind: "applied", note: `moved ${moved} local follower(s)` };
}
