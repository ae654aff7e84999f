/**
 * Undo: withdraws an earlier Follow, Like, Announce or Block. The undone
 * activity may be embedded or named by id; either way only the actor who made
 * it may undo it, or anyone could unfollow anyone.
 */
import { asArray, idOf, typeOf } from "../../../protocol/json-ld.ts";
import type { NormalizedActivity } from "../../../protocol/normalize.ts";
import type { ReactionRecord, ReactionType } from "../../../store/records.ts";
import { withdrawInteractions } from "../../interactions/record-interaction.ts";
import { findReferencedFollow } from "./follow-lookup.ts";
import type { HandlerOutcome, InboxHandlerContext } from "./handler.ts";

/** The undone activity, as far as it can be told from the Undo and the store. */
interface UndoneActivity {
  type: string;
  id?: string;
  actor?: string;
  object?: string;
}

/** Reverses a Follow, Like, Announce or Block made by the Undo's own actor. */
export async function handleUndo(ctx: InboxHandlerContext, activity: NormalizedActivity): Promise<HandlerOutcome> {
  const undone = await identifyUndone(ctx, activity);
  if (undone === null) return { kind: "ignored", note: "undone activity is unknown here" };
  if (undone.actor !== undefined && undone.actor !== activity.actor) {
    return { kind: "ignored", note: "only the actor of an activity may undo it" };
  }
  switch (undone.type) {
    case "Follow":
      return undoFollow(ctx, activity);
    case "Like":
    case "Announce":
      return undoReaction(ctx, activity, undone, undone.type);
    case "Block":
      return undoBlock(ctx, activity, undone);
    default:
      return { kind: "ignored", note: `Undo of ${undone.type} is not supported` };
  }
}

async function identifyUndone(ctx: InboxHandlerContext, activity: NormalizedActivity): Promise<UndoneActivity | null> {
  const embedded = activity.embeddedObject;
  if (embedded !== undefined) {
    const type = typeOf(embedded);
    if (type === undefined) return null;
    const undone: UndoneActivity = { type };
    const id = idOf(embedded);
    const actor = idOf(asArray(embedded.actor)[0]);
    const object = idOf(asArray(embedded.object)[0]);
    if (id !== undefined) undone.id = id;
    // An embedded activity without an actor is taken as the Undo's actor's own.
    undone.actor = actor ?? activity.actor;
    if (object !== undefined) undone.object = object;
    return undone;
  }
  const id = activity.object;
  if (id === undefined) return null;
  const follow = await ctx.store.follows.getByActivity(id);
  if (follow !== null) return { type: "Follow", id, actor: follow.followerUri, object: follow.followeeUri };
  const reaction = await ctx.store.reactions.getByActivity(id);
  if (reaction !== null) return { type: reaction.type, id, actor: reaction.actorUri, object: reaction.objectUri };
  const stored = await ctx.store.activities.get(id);
  if (stored === null) return null;
  const undone: UndoneActivity = { type: stored.type, id, actor: stored.actorUri };
  if (stored.objectUri !== null) undone.object = stored.objectUri;
  return undone;
}

async function undoFollow(ctx: InboxHandlerContext, activity: NormalizedActivity): Promise<HandlerOutcome> {
  const follow = await findReferencedFollow(ctx, { activity });
  if (follow === null) return { kind: "ignored", note: "undone follow is unknown here" };
  if (follow.followerUri !== activity.actor) return { kind: "ignored", note: "only the follower may undo a follow" };
  await ctx.store.follows.remove(follow.followerUri, follow.followeeUri);
  return { kind: "applied" };
}

async function undoReaction(
  ctx: InboxHandlerContext,
  activity: NormalizedActivity,
  undone: UndoneActivity,
  type: ReactionType,
): Promise<HandlerOutcome> {
  if (undone.id !== undefined) {
    const reaction = await ctx.store.reactions.getByActivity(undone.id);
    if (reaction !== null) {
      if (reaction.actorUri !== activity.actor) return { kind: "ignored", note: "only the actor of a reaction may undo it" };
      await ctx.store.reactions.removeByActivity(undone.id);
      await withdrawReaction(ctx, reaction);
      return { kind: "applied" };
    }
  }
  // Some servers re-create the undone activity with a fresh id; the actor and object still identify it.
  if (undone.object === undefined) return { kind: "ignored", note: `undone ${type} is unknown here` };
  const removed = await ctx.store.reactions.remove({ type, actorUri: activity.actor, objectUri: undone.object });
  if (removed === null) return { kind: "ignored", note: `undone ${type} is unknown here` };
  await withdrawReaction(ctx, removed);
  return { kind: "applied" };
}

/** Takes an undone Like or boost out of the interactions too. */
async function withdrawReaction(ctx: InboxHandlerContext, reaction: ReactionRecord): Promise<void> {
  await withdrawInteractions(ctx, { uri: reaction.activityUri, kinds: [reaction.type === "Like" ? "like" : "boost"] });
}

async function undoBlock(
  ctx: InboxHandlerContext,
  activity: NormalizedActivity,
  undone: UndoneActivity,
): Promise<HandlerOutcome> {
  if (undone.object === undefined) return { kind: "ignored", note: "undone Block names no blocked actor" };
  const removed = await ctx.store.blocks.remove(activity.actor, undone.object);
  return removed === null ? { kind: "ignored", note: "undone Block is unknown here" } : { kind: "applied" };
}
