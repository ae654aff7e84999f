/**
 * Which remote objects this server keeps, and how they are stored. A server
 * receives far more than its users care about (relays, forwarded replies,
 * shared-inbox fan-out); only objects that concern a local actor are kept.
 * Objects are stored whole and unsanitized: HTML is cleaned when it is shown.
 */
import { recipientsOf, stripHiddenRecipients, visibilityOf } from "../../../protocol/addressing.ts";
import type { NormalizedActivity, NormalizedObject } from "../../../protocol/normalize.ts";
import type { ObjectRecord } from "../../../store/records.ts";
import type { FederationContext } from "../../context.ts";
import type { MaybeInJob } from "../inbox-lookups.ts";
import { findLiveLocalActor } from "../local-actor-lookup.ts";
import { localFollowersOf, MAX_LOCAL_ADDRESSES } from "../local-recipients.ts";

/** Parameters of {@link concernsLocalActor} and {@link keptObjectRecord}. */
export interface KeptObjectParams {
  readonly object: NormalizedObject & { attributedTo: string };
  /** The Create or Update that carried the object. */
  readonly activity: NormalizedActivity;
}

/**
 * Whether an object concerns someone here: it replies to or quotes a local
 * object, mentions or addresses a local actor, or its author has a local
 * follower. Returns the reason, or null.
 */
export async function concernsLocalActor(ctx: FederationContext, params: KeptObjectParams): Promise<string | null> {
  const { object, activity } = params;
  if (object.inReplyTo !== undefined && (await isLiveLocalObject(ctx, object.inReplyTo))) return "reply to a local object";
  if (object.quote !== undefined && (await isLiveLocalObject(ctx, object.quote))) return "quote of a local object";

  const mentioned = object.tags.flatMap((tag) => (tag.type === "Mention" && tag.href !== undefined ? [tag.href] : []));
  const addressed = [
    ...object.to,
    ...object.cc,
    ...activity.to,
    ...activity.cc,
    ...activity.bto,
    ...activity.bcc,
    ...activity.audience,
  ];
  const localAddresses = [...new Set([...mentioned, ...addressed])].filter((uri) => ctx.uris.isLocal(uri));
  for (const uri of localAddresses.slice(0, MAX_LOCAL_ADDRESSES)) {
    if ((await findLiveLocalActor(ctx, { uri })) !== null) return "mentions or addresses a local actor";
  }
  if ((await localFollowersOf(ctx, { actorUri: object.attributedTo })).length > 0) return "author has a local follower";
  return null;
}

/** The record a remote object is stored as. */
export async function keptObjectRecord(ctx: MaybeInJob, params: KeptObjectParams): Promise<ObjectRecord> {
  const { object, activity } = params;
  // Some servers address only the activity; its addressing then stands for the object's.
  const addressedItself = object.to.length > 0 || object.cc.length > 0;
  const { to, cc } = addressedItself ? object : activity;
  const author = await (ctx.lookups?.actor(object.attributedTo) ?? ctx.store.actors.get(object.attributedTo));
  const followersUri = author?.followersUri ?? undefined;
  return {
    uri: object.id,
    type: object.type,
    attributedTo: object.attributedTo,
    local: false,
    visibility: visibilityOf(followersUri === undefined ? { to, cc } : { to, cc, followersUri }),
    inReplyTo: object.inReplyTo ?? null,
    published: object.published ?? activity.published ?? null,
    updated: object.updated ?? null,
    recipients: recipientsOf(addressedItself ? object.raw : activity.raw),
    document: stripHiddenRecipients(object.raw),
    deletedAt: null,
    formerType: null,
  };
}

async function isLiveLocalObject(ctx: FederationContext, uri: string): Promise<boolean> {
  if (!ctx.uris.isLocal(uri)) return false;
  const object = await ctx.store.objects.get(uri);
  return object !== null && object.deletedAt === null;
}
