/**
 * Deleting a post: it becomes a Tombstone (its URI keeps answering, with 410
 * Gone) and a Delete carrying the Tombstone goes to everyone the post reached,
 * so their servers drop their copies.
 */
import { buildDelete, buildTombstone } from "../../../protocol/activities.ts";
import { addressList } from "../../../protocol/normalize-helpers.ts";
import type { ActorRecord } from "../../../store/records.ts";
import type { FederationContext } from "../../context.ts";
import { publishActivity } from "../publish.ts";
import type { ActionFailure, Published } from "./action-result.ts";
import { guardActor, type ActorGuardReason } from "./actor-guard.ts";
import { newActivityUri } from "./mint-uris.ts";
import { ownLiveObject, type OwnObjectReason } from "./own-object.ts";

/** Parameters of {@link deletePost}. */
export interface DeletePostParams {
  readonly actor: ActorRecord;
  readonly objectUri: string;
}

/** Why the post was not deleted. */
export type DeletePostReason = ActorGuardReason | OwnObjectReason;

/** The Delete sent, or why not. */
export type DeletePostResult = (Published & { readonly objectUri: string }) | ActionFailure<DeletePostReason>;

/** Turns one of the actor's posts into a Tombstone and publishes the Delete. */
export async function deletePost(ctx: FederationContext, params: DeletePostParams): Promise<DeletePostResult> {
  const { actor } = params;
  const guarded = guardActor({ actor });
  if (guarded !== null) return guarded;
  const own = await ownLiveObject(ctx, { actor, objectUri: params.objectUri });
  if (!own.ok) return own;
  const object = own.object;

  const deletedAt = ctx.now().toISOString();
  const tombstone = buildTombstone({ id: object.uri, formerType: object.type, deleted: deletedAt });
  const to = addressList(object.document.to);
  const cc = addressList(object.document.cc);
  const activity = buildDelete({ id: newActivityUri(ctx, { actor }), actor: actor.uri, object: tombstone, to, cc, published: deletedAt });
  // Blind recipients hold a copy too; they are told without being revealed.
  const hidden = object.recipients.filter((uri) => !to.includes(uri) && !cc.includes(uri));
  if (hidden.length > 0) activity.bcc = hidden;

  const published = await publishActivity(ctx, {
    actor,
    activity,
    alsoWrite: async (tx) => {
      await tx.objects.tombstone(object.uri, { deletedAt, formerType: object.type, tombstone });
      // A deleted post cannot stay pinned.
      await tx.collections.removeItemEverywhere(object.uri);
    },
  });
  return { ok: true, objectUri: object.uri, activityUri: published.activityUri, deliveries: published.deliveries };
}
