/**
 * Boosting a post and taking the boost back. Only posts meant for everyone
 * (public or unlisted) may be boosted: boosting a followers-only post would
 * show it to people its author did not address.
 */
import { buildAnnounce } from "../../../protocol/activities.ts";
import { PUBLIC_COLLECTION } from "../../../protocol/vocabulary.ts";
import type { ActorRecord } from "../../../store/records.ts";
import type { FederationContext } from "../../context.ts";
import { publishActivity } from "../publish.ts";
import { refuse, type ActionFailure, type Published } from "./action-result.ts";
import { activeReaction } from "./active-reaction.ts";
import { guardActor, type ActorGuardReason } from "./actor-guard.ts";
import { findObject, type FindObjectReason } from "./find-object.ts";
import { newActivityUri } from "./mint-uris.ts";
import { undoReaction } from "./undo-reaction.ts";

/** Parameters of {@link announceObject} and {@link unannounceObject}. */
export interface AnnounceObjectParams {
  readonly actor: ActorRecord;
  readonly objectUri: string;
}

/** Why the post was not boosted. */
export type AnnounceObjectReason = ActorGuardReason | FindObjectReason | "notPublic" | "alreadyAnnounced";

/** The Announce sent, or why not. */
export type AnnounceObjectResult = (Published & { readonly objectUri: string }) | ActionFailure<AnnounceObjectReason>;

/** Boosts a public or unlisted post to the actor's followers (and its author). */
export async function announceObject(ctx: FederationContext, params: AnnounceObjectParams): Promise<AnnounceObjectResult> {
  const { actor } = params;
  const refused = guardActor({ actor });
  if (refused !== null) return refused;
  const found = await findObject(ctx, { uri: params.objectUri });
  if (!found.ok) return found;
  const object = found.object;
  if (object.visibility !== "public" && object.visibility !== "unlisted") {
    return refuse({ reason: "notPublic", message: `${object.uri} is ${object.visibility === "direct" ? "a direct message" : "followers-only"} and cannot be boosted` });
  }
  if ((await activeReaction(ctx, { actorUri: actor.uri, type: "Announce", objectUri: object.uri })) !== null) {
    return refuse({ reason: "alreadyAnnounced", message: `${actor.uri} already boosted ${object.uri}` });
  }

  const activityUri = newActivityUri(ctx, { actor });
  const createdAt = ctx.now().toISOString();
  const followersUri = actor.followersUri ?? ctx.uris.followers(actor.username);
  const cc = object.attributedTo === actor.uri ? [followersUri] : [object.attributedTo, followersUri];
  const announce = buildAnnounce({
    id: activityUri,
    actor: actor.uri,
    object: object.uri,
    to: [PUBLIC_COLLECTION],
    cc,
    published: createdAt,
  });
  const published = await publishActivity(ctx, {
    actor,
    activity: announce,
    alsoWrite: async (tx) => {
      await tx.reactions.add({ activityUri, type: "Announce", actorUri: actor.uri, objectUri: object.uri, createdAt });
    },
  });
  return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries, objectUri: object.uri };
}

/** Why no boost was taken back. */
export type UnannounceObjectReason = ActorGuardReason | "notAnnounced";

/** The Undo sent, or why not. */
export type UnannounceObjectResult = Published | ActionFailure<UnannounceObjectReason>;

/** Takes a boost back with Undo(Announce), reaching everyone the boost reached. */
export function unannounceObject(ctx: FederationContext, params: AnnounceObjectParams): Promise<UnannounceObjectResult> {
  const { actor, objectUri } = params;
  return undoReaction(ctx, { actor, objectUri, type: "Announce", missing: { reason: "notAnnounced", message: `${actor.uri} has not boosted ${objectUri}` } });
}
