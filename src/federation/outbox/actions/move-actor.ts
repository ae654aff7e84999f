/**
 * Moving an account: once the new account lists this one in `alsoKnownAs`
 * (proof that whoever moves controls both), `movedTo` is set and a Move goes
 * to the followers, whose servers then follow the new account instead. Local
 * followers are moved here, since the local inbox leaves local moves alone.
 */
import { buildMove } from "../../../protocol/activities.ts";
import type { ActorRecord } from "../../../store/records.ts";
import { resolveActor } from "../../actors/actor-resolver.ts";
import type { FederationContext } from "../../context.ts";
import { publishActivity } from "../publish.ts";
import { refuse, type ActionFailure, type Published } from "./action-result.ts";
import { guardActor, type ActorGuardReason } from "./actor-guard.ts";
import { followActor } from "./follow-actor.ts";
import { newActivityUri } from "./mint-uris.ts";
import { resolveAccount, type ResolveAccountReason } from "./resolve-account.ts";

const FOLLOWER_PAGE_SIZE = 500;

/** Parameters of {@link moveActor}. */
export interface MoveActorParams {
  readonly actor: ActorRecord;
  /** The new account: an actor URI or `@user@host`. */
  readonly target: string;
}

/** Why the move was not made. */
export type MoveActorReason = ActorGuardReason | ResolveAccountReason | "self" | "notAlias";

/** The Move sent, or why not. */
export type MoveActorResult =
  | (Published & {
      readonly targetUri: string;
      /** Local followers that now follow (or asked to follow) the new account. */
      readonly localFollowersMoved: number;
    })
  | ActionFailure<MoveActorReason>;

/** Sets `movedTo`, sends Move to the followers and moves local followers. */
export async function moveActor(ctx: FederationContext, params: MoveActorParams): Promise<MoveActorResult> {
  const { actor } = params;
  const guarded = guardActor({ actor });
  if (guarded !== null) return guarded;
  const resolved = await freshAccount(ctx, params.target);
  if (!resolved.ok) return resolved;
  const target = resolved.actor;
  if (target.uri === actor.uri) return refuse({ reason: "self", message: "an actor cannot move to itself" });
  if (!target.alsoKnownAs.includes(actor.uri)) {
    return refuse({
      reason: "notAlias",
      message: `${target.uri} does not list ${actor.uri} in alsoKnownAs; add the old account as an alias of the new one first`,
    });
  }

  const now = ctx.now().toISOString();
  const followersUri = actor.followersUri ?? ctx.uris.followers(actor.username);
  const move = buildMove({
    id: newActivityUri(ctx, { actor }),
    actor: actor.uri,
    object: actor.uri,
    target: target.uri,
    to: [followersUri],
    published: now,
  });
  const published = await publishActivity(ctx, {
    actor,
    activity: move,
    alsoWrite: async (tx) => {
      await tx.actors.put({ ...actor, movedTo: target.uri, updatedAt: now });
    },
  });
  const localFollowersMoved = await moveLocalFollowers(ctx, { from: actor, to: target });
  return {
    ok: true,
    activityUri: published.activityUri,
    deliveries: published.deliveries,
    targetUri: target.uri,
    localFollowersMoved,
  };
}

/**
 * The new account as its server serves it now: the alias may have been added
 * minutes ago, so a cached copy would wrongly refuse the move.
 */
async function freshAccount(
  ctx: FederationContext,
  account: string,
): Promise<{ ok: true; actor: ActorRecord } | ActionFailure<ResolveAccountReason>> {
  const found = await resolveAccount(ctx, { account });
  if (!found.ok || found.actor.local) return found;
  const refreshed = await resolveActor(ctx, found.actor.uri, { refresh: true });
  if (!refreshed.ok) return refuse({ reason: "accountNotFound", message: `${found.actor.uri}: ${refreshed.message}` });
  return { ok: true, actor: refreshed.actor };
}

/** Re-points local followers of `from` to `to`; returns how many were moved. */
async function moveLocalFollowers(ctx: FederationContext, params: { from: ActorRecord; to: ActorRecord }): Promise<number> {
  const { from, to } = params;
  const followers: string[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await ctx.store.follows.listFollowers(
      from.uri,
      "accepted",
      before === undefined ? { limit: FOLLOWER_PAGE_SIZE } : { limit: FOLLOWER_PAGE_SIZE, before },
    );
    for (const follow of page.items) if (ctx.uris.isLocal(follow.followerUri)) followers.push(follow.followerUri);
    if (page.next === null || page.items.length === 0) break;
    before = page.next;
  }
  let moved = 0;
  for (const uri of followers) {
    const follower = await ctx.store.actors.get(uri);
    if (follower === null || !follower.local || follower.deletedAt !== null || follower.uri === to.uri) continue;
    // A follower that blocks the new account keeps its block; the old follow still ends.
    if ((await ctx.store.blocks.get(follower.uri, to.uri)) === null && (await ctx.store.follows.get(follower.uri, to.uri)) === null) {
      const followed = await followActor(ctx, { actor: follower, target: to.uri });
      if (!followed.ok) ctx.logger.info({ follower: follower.uri, target: to.uri, reason: followed.reason }, "move: could not follow the new account");
    }
    await ctx.store.follows.remove(follower.uri, from.uri);
    moved++;
  }
  return moved;
}
