/**
 * Following an account: a pending follow is stored with the Follow that asks
 * for it, and becomes accepted when the account's Accept arrives. Following a
 * local account works the same way, through the local inbox queue.
 */
import { buildFollow } from "../../../protocol/activities.ts";
import type { ActorRecord } from "../../../store/records.ts";
import type { FederationContext } from "../../context.ts";
import { publishActivity } from "../publish.ts";
import { refuse, type ActionFailure, type Published } from "./action-result.ts";
import { guardActor, type ActorGuardReason } from "./actor-guard.ts";
import { newActivityUri } from "./mint-uris.ts";
import { resolveAccount, type ResolveAccountReason } from "./resolve-account.ts";

/** Parameters of {@link followActor}. */
export interface FollowActorParams {
  readonly actor: ActorRecord;
  /** An actor URI or `@user@host`. */
  readonly target: string;
}

/** Why the follow was not requested. */
export type FollowActorReason = ActorGuardReason | ResolveAccountReason | "self" | "alreadyFollowing" | "blocked";

/** The Follow sent, or why not. */
export type FollowActorResult = (Published & { readonly targetUri: string }) | ActionFailure<FollowActorReason>;

/** Sends a Follow and stores the follow as pending. */
export async function followActor(ctx: FederationContext, params: FollowActorParams): Promise<FollowActorResult> {
  const { actor } = params;
  const refused = guardActor({ actor });
  if (refused !== null) return refused;
  const resolved = await resolveAccount(ctx, { account: params.target });
  if (!resolved.ok) return resolved;
  const target = resolved.actor;
  if (target.uri === actor.uri) return refuse({ reason: "self", message: "an actor cannot follow itself" });
  if ((await ctx.store.blocks.get(actor.uri, target.uri)) !== null) {
    return refuse({ reason: "blocked", message: `${actor.uri} blocks ${target.uri}; unblock it first` });
  }
  const existing = await ctx.store.follows.get(actor.uri, target.uri);
  if (existing !== null) {
    const state = existing.state === "accepted" ? "already follows" : "already asked to follow";
    return refuse({ reason: "alreadyFollowing", message: `${actor.uri} ${state} ${target.uri}` });
  }

  const activityUri = newActivityUri(ctx, { actor });
  const follow = buildFollow({ id: activityUri, actor: actor.uri, object: target.uri, to: [target.uri] });
  const createdAt = ctx.now().toISOString();
  const published = await publishActivity(ctx, {
    actor,
    activity: follow,
    alsoWrite: async (tx) => {
      await tx.follows.put({ followerUri: actor.uri, followeeUri: target.uri, activityUri, state: "pending", createdAt });
    },
  });
  return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries, targetUri: target.uri };
}
