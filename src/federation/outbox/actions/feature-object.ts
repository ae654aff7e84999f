/**
 * Pinning posts to a profile: the post joins the actor's `featured`
 * collection and an Add (or Remove) tells followers' servers, which show
 * pinned posts on the profile. Only the actor's own public or unlisted posts
 * can be pinned, and only a few, as on Mastodon.
 */
import { buildAdd, buildRemove } from "../../../protocol/activities.ts";
import { PUBLIC_COLLECTION } from "../../../protocol/vocabulary.ts";
import type { ActorRecord } from "../../../store/records.ts";
import type { FederationContext } from "../../context.ts";
import { publishActivity } from "../publish.ts";
import { refuse, type ActionFailure, type Published } from "./action-result.ts";
import { guardActor, type ActorGuardReason } from "./actor-guard.ts";
import { newActivityUri } from "./mint-uris.ts";
import { ownLiveObject, type OwnObjectReason } from "./own-object.ts";

/** Most posts pinned at once. */
export const MAX_FEATURED = 5;

/** Parameters of {@link featureObject} and {@link unfeatureObject}. */
export interface FeatureObjectParams {
  readonly actor: ActorRecord;
  readonly objectUri: string;
}

/** Why the post was not pinned. */
export type FeatureObjectReason = ActorGuardReason | OwnObjectReason | "notPublic" | "alreadyFeatured" | "tooManyFeatured";

/** The Add sent, or why not. */
export type FeatureObjectResult = Published | ActionFailure<FeatureObjectReason>;

/** Pins one of the actor's posts. */
export async function featureObject(ctx: FederationContext, params: FeatureObjectParams): Promise<FeatureObjectResult> {
  const { actor } = params;
  const guarded = guardActor({ actor });
  if (guarded !== null) return guarded;
  const own = await ownLiveObject(ctx, { actor, objectUri: params.objectUri });
  if (!own.ok) return own;
  const object = own.object;
  if (object.visibility !== "public" && object.visibility !== "unlisted") {
    return refuse({ reason: "notPublic", message: `${object.uri} is not public and cannot be pinned` });
  }
  const featuredUri = actor.featuredUri ?? ctx.uris.featured(actor.username);
  if (await ctx.store.collections.has(featuredUri, object.uri)) {
    return refuse({ reason: "alreadyFeatured", message: `${object.uri} is already pinned` });
  }
  if ((await ctx.store.collections.count(featuredUri)) >= MAX_FEATURED) {
    return refuse({ reason: "tooManyFeatured", message: `at most ${MAX_FEATURED} posts can be pinned; unpin one first` });
  }

  const now = ctx.now().toISOString();
  const add = buildAdd({
    id: newActivityUri(ctx, { actor }),
    actor: actor.uri,
    object: object.uri,
    target: featuredUri,
    to: [PUBLIC_COLLECTION],
    cc: [actor.followersUri ?? ctx.uris.followers(actor.username)],
    published: now,
  });
  const published = await publishActivity(ctx, {
    actor,
    activity: add,
    alsoWrite: async (tx) => {
      await tx.collections.add({ collectionUri: featuredUri, itemUri: object.uri, addedAt: now });
    },
  });
  return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries };
}

/** Why nothing was unpinned. */
export type UnfeatureObjectReason = ActorGuardReason | "notFeatured";

/** The Remove sent, or why not. */
export type UnfeatureObjectResult = Published | ActionFailure<UnfeatureObjectReason>;

/** Unpins a post. */
export async function unfeatureObject(ctx: FederationContext, params: FeatureObjectParams): Promise<UnfeatureObjectResult> {
  const { actor, objectUri } = params;
  const guarded = guardActor({ actor });
  if (guarded !== null) return guarded;
  const featuredUri = actor.featuredUri ?? ctx.uris.featured(actor.username);
  if (!(await ctx.store.collections.has(featuredUri, objectUri))) {
    return refuse({ reason: "notFeatured", message: `${objectUri} is not pinned` });
  }

  const remove = buildRemove({
    id: newActivityUri(ctx, { actor }),
    actor: actor.uri,
    object: objectUri,
    target: featuredUri,
    to: [PUBLIC_COLLECTION],
    cc: [actor.followersUri ?? ctx.uris.followers(actor.username)],
    published: ctx.now().toISOString(),
  });
  const published = await publishActivity(ctx, {
    actor,
    activity: remove,
    alsoWrite: async (tx) => {
      await tx.collections.remove(featuredUri, objectUri);
    },
  });
  return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries };
}
