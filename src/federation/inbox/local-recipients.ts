/**
 * Who on this server an incoming activity is for: the local actors it
 * addresses, the owner of the personal inbox it was posted to, and, when it
 * is addressed to the sender's followers, the local actors following the
 * sender. These get an inbox entry and are what plugins filter on.
 */
import type { NormalizedActivity } from "../../protocol/normalize.ts";
import type { MaybeInJob } from "./inbox-lookups.ts";
import { findLiveLocalActor, findLiveLocalActorNamed } from "./local-actor-lookup.ts";

/** Parameters of {@link localRecipientsOf}. */
export interface LocalRecipientsParams {
  readonly activity: NormalizedActivity;
  /** The owner of the personal inbox the activity was posted to, if any. */
  readonly recipientUsername?: string;
}

/**
 * Local addresses looked up per activity. Real activities name a handful; a
 * body listing thousands would otherwise cost a store lookup each.
 */
export const MAX_LOCAL_ADDRESSES = 200;

/** URIs of the live local actors an activity is for, without duplicates. */
export async function localRecipientsOf(ctx: MaybeInJob, params: LocalRecipientsParams): Promise<string[]> {
  const { activity } = params;
  const recipients = new Set<string>();
  if (params.recipientUsername !== undefined) {
    const owner = await findLiveLocalActorNamed(ctx, { username: params.recipientUsername });
    if (owner !== null) recipients.add(owner.uri);
  }

  const addressed = [...activity.to, ...activity.cc, ...activity.bto, ...activity.bcc, ...activity.audience];
  const localAddresses = [...new Set(addressed)].filter((uri) => ctx.uris.isLocal(uri));
  for (const uri of localAddresses.slice(0, MAX_LOCAL_ADDRESSES)) {
    const actor = await findLiveLocalActor(ctx, { uri });
    if (actor !== null) recipients.add(actor.uri);
  }

  const sender = await (ctx.lookups?.actor(activity.actor) ?? ctx.store.actors.get(activity.actor));
  // Mastodon-style servers name the collection `<actor>/followers`; the stored document is authoritative when present.
  const followersUri = sender?.followersUri ?? `${activity.actor}/followers`;
  if (addressed.includes(followersUri)) {
    for (const uri of await localFollowersOf(ctx, { actorUri: activity.actor })) recipients.add(uri);
  }
  return [...recipients];
}

/** Parameters of {@link localFollowersOf}. */
export interface LocalFollowersParams {
  readonly actorUri: string;
}

/**
 * Local actors with an accepted follow of an actor. Only follows with a local
 * side are stored, so for a remote actor this reads just its local followers.
 * Within an inbox job the answer is read once and shared.
 */
export async function localFollowersOf(ctx: MaybeInJob, params: LocalFollowersParams): Promise<readonly string[]> {
  return (ctx.lookups ?? ctx.store.follows).localFollowers(params.actorUri);
}
