/**
 * Whether an actor's Like or Announce of a post still stands: the newest such
 * activity is looked up and counts only while its reaction is recorded (an
 * Undo removes the reaction but keeps the activity in the outbox).
 */
import type { ActivityRecord, ReactionType } from "../../../store/records.ts";
import type { FederationContext } from "../../context.ts";

/** Parameters of {@link activeReaction}. */
export interface ActiveReactionParams {
  readonly actorUri: string;
  readonly type: ReactionType;
  readonly objectUri: string;
}

/** The standing Like/Announce activity, or null. */
export async function activeReaction(ctx: FederationContext, params: ActiveReactionParams): Promise<ActivityRecord | null> {
  const latest = await ctx.store.activities.findLatest(params);
  if (latest === null) return null;
  return (await ctx.store.reactions.getByActivity(latest.uri)) === null ? null : latest;
}
