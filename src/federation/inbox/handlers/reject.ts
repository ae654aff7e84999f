/**
 * Reject of one of our Follows: the followee declined it, or later removed
 * the local actor from its followers. Either way the follow ends.
 */
import type { NormalizedActivity } from "../../../protocol/normalize.ts";
import { findReferencedFollow } from "./follow-lookup.ts";
import type { HandlerOutcome, InboxHandlerContext } from "./handler.ts";

/** Removes a local actor's follow that its followee rejected. */
export async function handleReject(ctx: InboxHandlerContext, activity: NormalizedActivity): Promise<HandlerOutcome> {
  const follow = await findReferencedFollow(ctx, { activity });
  if (follow === null) return { kind: "ignored", note: "rejected activity is not a known follow" };
  if (!ctx.uris.isLocal(follow.followerUri)) return { kind: "ignored", note: "rejected follow is not by a local actor" };
  if (follow.followeeUri !== activity.actor) return { kind: "ignored", note: "only the followee may reject a follow" };

  await ctx.store.follows.remove(follow.followerUri, follow.followeeUri);
  return { kind: "applied" };
}
