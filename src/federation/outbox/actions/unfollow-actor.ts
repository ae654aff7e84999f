/**
 * Unfollowing: the follow is removed and an Undo of the original Follow tells
 * the account's server to stop delivering. A follow request not yet accepted
 * is withdrawn the same way.
 */
import { buildUndo } from "../../../protocol/activities.ts";
import type { ActorRecord } from "../../../store/records.ts";
import type { FederationContext } from "../../context.ts";
import { publishActivity } from "../publish.ts";
import { refuse, type ActionFailure, type Published } from "./action-result.ts";
import { guardActor, type ActorGuardReason } from "./actor-guard.ts";
import { earlierActivity } from "./earlier-activity.ts";
import { newActivityUri } from "./mint-uris.ts";
import { accountUri, type ResolveAccountReason } from "./resolve-account.ts";

/** Parameters of {@link unfollowActor}. */
export interface UnfollowActorParams {
  readonly actor: ActorRecord;
  /** An actor URI or `@user@host`. */
  readonly target: string;
}

/** Why nothing was unfollowed. */
export type UnfollowActorReason = ActorGuardReason | ResolveAccountReason | "notFollowing";

/** The Undo sent, or why not. */
export type UnfollowActorResult = Published | ActionFailure<UnfollowActorReason>;

/** Sends Undo(Follow) and removes the follow (accepted or pending). */
export async function unfollowActor(ctx: FederationContext, params: UnfollowActorParams): Promise<UnfollowActorResult> {
  const { actor } = params;
  const refused = guardActor({ actor });
  if (refused !== null) return refused;
  const targetUri = await accountUri(ctx, { account: params.target });
  if (!targetUri.ok) return targetUri;
  const follow = await ctx.store.follows.get(actor.uri, targetUri.uri);
  if (follow === null) return refuse({ reason: "notFollowing", message: `${actor.uri} does not follow ${targetUri.uri}` });

  const original = await earlierActivity(ctx, { uri: follow.activityUri, type: "Follow", actor: actor.uri, object: follow.followeeUri });
  const undo = buildUndo({ id: newActivityUri(ctx, { actor }), actor: actor.uri, object: original, to: [follow.followeeUri] });
  const published = await publishActivity(ctx, {
    actor,
    activity: undo,
    alsoWrite: async (tx) => {
      await tx.follows.remove(actor.uri, follow.followeeUri);
    },
  });
  return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries };
}

