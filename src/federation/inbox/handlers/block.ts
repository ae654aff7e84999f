/**
 * Block: a remote actor blocks one of ours. Recorded so that the local actor
 * does not keep delivering to someone who refuses it, and every follow
 * between the two ends, either way, as Mastodon does.
 */
import type { NormalizedActivity } from "../../../protocol/normalize.ts";
import { findLiveLocalActor } from "../local-actor-lookup.ts";
import type { HandlerOutcome, InboxHandlerContext } from "./handler.ts";

/** Records a remote actor's Block of a local actor and ends the follows between them. */
export async function handleBlock(ctx: InboxHandlerContext, activity: NormalizedActivity): Promise<HandlerOutcome> {
  if (activity.object === undefined) return { kind: "ignored", note: "Block has no object id" };
  const target = await findLiveLocalActor(ctx, { uri: activity.object });
  if (target === null) return { kind: "ignored", note: "blocked actor is not a local actor" };
  if (target.uri === activity.actor) return { kind: "ignored", note: "an actor cannot block itself" };

  await ctx.store.transaction(async (tx) => {
    await tx.blocks.put({
      activityUri: activity.id,
      actorUri: activity.actor,
      targetUri: target.uri,
      createdAt: ctx.now().toISOString(),
    });
    await tx.follows.remove(activity.actor, target.uri);
    await tx.follows.remove(target.uri, activity.actor);
  });
  return { kind: "applied" };
}
