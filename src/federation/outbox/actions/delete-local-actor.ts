/**
 * Deleting a local account: a Delete of the actor goes to its followers and
 * to the accounts it follows (which hold it as a follower), then the actor is
 * marked deleted. Its keys are kept: the Delete is signed with them while it
 * is delivered, and servers that re-fetch the actor get a tombstone.
 */
import { buildDelete } from "../../../protocol/activities.ts";
import { PUBLIC_COLLECTION } from "../../../protocol/vocabulary.ts";
import type { ActorRecord, FollowState } from "../../../store/records.ts";
import type { FederationContext } from "../../context.ts";
import { publishActivity } from "../publish.ts";
import type { ActionFailure, Published } from "./action-result.ts";
import { guardActor, type ActorGuardReason } from "./actor-guard.ts";
import { newActivityUri } from "./mint-uris.ts";

const FOLLOWING_PAGE_SIZE = 500;

/** Parameters of {@link deleteLocalActor}. */
export interface DeleteLocalActorParams {
  readonly actor: ActorRecord;
}

/** Why the actor was not deleted. */
export type DeleteLocalActorReason = ActorGuardReason;

/** The Delete sent, or why not. */
export type DeleteLocalActorResult = Published | ActionFailure<DeleteLocalActorReason>;

/** Sends Delete(actor), ends the actor's follows and marks it deleted. */
export async function deleteLocalActor(ctx: FederationContext, params: DeleteLocalActorParams): Promise<DeleteLocalActorResult> {
  const { actor } = params;
  const guarded = guardActor({ actor });
  if (guarded !== null) return guarded;

  const followersUri = actor.followersUri ?? ctx.uris.followers(actor.username);
  const deletedAt = ctx.now().toISOString();
  const activity = buildDelete({
    id: newActivityUri(ctx, { actor }),
    actor: actor.uri,
    object: actor.uri,
    to: [PUBLIC_COLLECTION],
    cc: [followersUri],
    published: deletedAt,
  });
  const followees = [...(await followeesOf(ctx, actor.uri, "accepted")), ...(await followeesOf(ctx, actor.uri, "pending"))];
  const published = await publishActivity(ctx, {
    actor,
    activity,
    extraRecipients: followees,
    alsoWrite: async (tx) => {
      await tx.actors.markDeleted(actor.uri, deletedAt);
      // Delivery targets were taken above; the follows have no further use.
      await tx.follows.removeAllFor(actor.uri);
    },
  });
  return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries };
}

/** Every account the actor follows (or asked to) in one state. */
async function followeesOf(ctx: FederationContext, actorUri: string, state: FollowState): Promise<string[]> {
  const followees: string[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await ctx.store.follows.listFollowing(
      actorUri,
      state,
      before === undefined ? { limit: FOLLOWING_PAGE_SIZE } : { limit: FOLLOWING_PAGE_SIZE, before },
    );
    for (const follow of page.items) followees.push(follow.followeeUri);
    if (page.next === null || page.items.length === 0) return followees;
    before = page.next;
  }
}
