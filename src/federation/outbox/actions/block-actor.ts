/**
 * Blocking and unblocking. The Block itself is recorded but never sent (see
 * undeliverable.ts). Follows between the two end: the blocked account's server
 * is told with the ordinary Undo(Follow) and Reject(Follow), or it would keep
 * pushing posts here and keep showing a follow that no longer exists.
 */
import { buildBlock, buildUndo } from "../../../protocol/activities.ts";
import type { ActorRecord } from "../../../store/records.ts";
import type { FederationContext } from "../../context.ts";
import { publishActivity } from "../publish.ts";
import { refuse, type ActionFailure, type Published } from "./action-result.ts";
import { guardActor, type ActorGuardReason } from "./actor-guard.ts";
import { earlierActivity } from "./earlier-activity.ts";
import { rejectFollower } from "./follow-requests.ts";
import { newActivityUri } from "./mint-uris.ts";
import { accountUri, type ResolveAccountReason } from "./resolve-account.ts";
import { unfollowActor } from "./unfollow-actor.ts";

/** Parameters of {@link blockActor} and {@link unblockActor}. */
export interface BlockActorParams {
  readonly actor: ActorRecord;
  /** An actor URI or `@user@host`. */
  readonly target: string;
}

/** Why the account was not blocked. */
export type BlockActorReason = ActorGuardReason | ResolveAccountReason | "self" | "alreadyBlocked";

/** The Block recorded, or why not. */
export type BlockActorResult = (Published & { readonly targetUri: string }) | ActionFailure<BlockActorReason>;

/** Blocks an account and ends follows both ways. */
export async function blockActor(ctx: FederationContext, params: BlockActorParams): Promise<BlockActorResult> {
  const { actor } = params;
  const guarded = guardActor({ actor });
  if (guarded !== null) return guarded;
  const target = await accountUri(ctx, { account: params.target });
  if (!target.ok) return target;
  const blockedUri = target.uri;
  if (blockedUri === actor.uri) return refuse({ reason: "self", message: "an actor cannot block itself" });
  if ((await ctx.store.blocks.get(actor.uri, blockedUri)) !== null) {
    return refuse({ reason: "alreadyBlocked", message: `${actor.uri} already blocks ${blockedUri}` });
  }

  // Before the block is stored: deliveries to blocked actors are dropped.
  if ((await ctx.store.follows.get(actor.uri, blockedUri)) !== null) {
    const undone = await unfollowActor(ctx, { actor, target: blockedUri });
    if (!undone.ok) ctx.logger.info({ target: blockedUri, reason: undone.reason }, "block: could not undo the follow");
  }
  if ((await ctx.store.follows.get(blockedUri, actor.uri)) !== null) {
    const rejected = await rejectFollower(ctx, { actor, follower: blockedUri });
    if (!rejected.ok) ctx.logger.info({ target: blockedUri, reason: rejected.reason }, "block: could not remove the follower");
  }

  const activityUri = newActivityUri(ctx, { actor });
  const createdAt = ctx.now().toISOString();
  const block = buildBlock({ id: activityUri, actor: actor.uri, object: blockedUri, to: [blockedUri] });
  const published = await publishActivity(ctx, {
    actor,
    activity: block,
    alsoWrite: async (tx) => {
      await tx.blocks.put({ activityUri, actorUri: actor.uri, targetUri: blockedUri, createdAt });
      // A follow made while the notices above were sent ends here too.
      await tx.follows.remove(actor.uri, blockedUri);
      await tx.follows.remove(blockedUri, actor.uri);
    },
  });
  return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries, targetUri: blockedUri };
}

/** Why nothing was unblocked. */
export type UnblockActorReason = ActorGuardReason | ResolveAccountReason | "notBlocked";

/** The Undo recorded, or why not. */
export type UnblockActorResult = Published | ActionFailure<UnblockActorReason>;

/** Lifts a block; the Undo(Block) is recorded but, like the Block, never sent. */
export async function unblockActor(ctx: FederationContext, params: BlockActorParams): Promise<UnblockActorResult> {
  const { actor } = params;
  const guarded = guardActor({ actor });
  if (guarded !== null) return guarded;
  const target = await accountUri(ctx, { account: params.target });
  if (!target.ok) return target;
  const block = await ctx.store.blocks.get(actor.uri, target.uri);
  if (block === null) return refuse({ reason: "notBlocked", message: `${actor.uri} does not block ${target.uri}` });

  const original = await earlierActivity(ctx, { uri: block.activityUri, type: "Block", actor: actor.uri, object: block.targetUri });
  const undo = buildUndo({ id: newActivityUri(ctx, { actor }), actor: actor.uri, object: original, to: [block.targetUri] });
  const published = await publishActivity(ctx, {
    actor,
    activity: undo,
    alsoWrite: async (tx) => {
      await tx.blocks.remove(actor.uri, block.targetUri);
    },
  });
  return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries };
}

