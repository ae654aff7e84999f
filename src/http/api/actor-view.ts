/** How the actor management API shows a local actor: its ids, its collections and its profile. */
import type { FederationContext } from "../../federation/context.ts";
import { clientEndpoints } from "../../federation/c2s/endpoints.ts";
import type { ActorRecord } from "../../store/records.ts";

/** Parameters of {@link actorView}. */
export interface ActorViewParams {
  readonly ctx: FederationContext;
  readonly actor: ActorRecord;
}

/** The JSON the API answers for an actor. */
export function actorView(params: ActorViewParams): Record<string, unknown> {
  const { ctx, actor } = params;
  return {
    id: actor.uri,
    type: actor.type,
    preferred_username: actor.username,
    display_name: actor.name,
    summary: actor.summary,
    url: actor.url,
    inbox: actor.inbox,
    outbox: actor.outbox,
    followers: actor.followersUri,
    following: actor.followingUri,
    liked: ctx.uris.liked(actor.username),
    featured: actor.featuredUri,
    endpoints: { ...clientEndpoints({ uris: ctx.uris, username: actor.username }), sharedInbox: ctx.uris.sharedInbox() },
    icon_url: actor.iconUrl,
    manually_approves_followers: actor.manuallyApprovesFollowers,
    discoverable: actor.discoverable,
    fields: actor.fields,
    also_known_as: actor.alsoKnownAs,
    published: actor.published,
    deleted_at: actor.deletedAt,
  };
}
