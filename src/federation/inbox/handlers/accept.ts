/**
 * Accept of one of our Follows: the followee approved it. Only the followee
 * itself can accept; anyone else's Accept is a forgery or a mistake.
 */
import type { NormalizedActivity } from "../../../protocol/normalize.ts";
import { findReferencedFollow } from "./follow-lookup.ts";
import type { HandlerOutcome, InboxHandlerContext } from "./handler.ts";

/** Marks a local actor's pending follow as accepted when its followee accepts it. */
export async function handleAccept(ctx: InboxHandlerContext, activity: NormalizedActivity): Promise<HandlerOutcome> {
  const follow = await findReferencedFollow(ctx, { activity });
  if (follow === null) return { kind: "ignored", note: "accepted activity is not a known follow" };
  if (!ctx.uris.isLocal(follow.followerUri)) return { kind: "ignored", note: "accepted follow is not by a local actor" };
  if (follow.followeeUri !== activity.actor) return { kind: "ignored", note: "only the followee may accept a follow" };
  if (follow.state === "accepted") return { kind: "ignored", note: "follow was already accepted" };

  await ctx.store.follows.setState(follow.followerUri, follow.followeeUri, "accepted");
  return { kind: "applied" };
}
