/**
 * Publishing an activity the host application built itself. It goes out as
 * given, with what Outpost must remember about it recorded in the same
 * transaction: the object a Create or Update carries (so it is served at its
 * id), the Tombstone a Delete leaves, the pending follow of a Follow (so the
 * Accept finds it), the reaction of a Like or Announce, and the end of what
 * an Undo takes back.
 */
import type { FederationContext } from "../federation/context.ts";
import { refuse, type ActionFailure, type Published } from "../federation/outbox/actions/action-result.ts";
import { newActivityUri } from "../federation/outbox/actions/mint-uris.ts";
import { ownLiveObject, type OwnObjectReason } from "../federation/outbox/actions/own-object.ts";
import { publishActivity } from "../federation/outbox/publish.ts";
import { buildTombstone } from "../protocol/activities.ts";
import { idOf, isJsonObject } from "../protocol/json-ld.ts";
import { addressList } from "../protocol/normalize-helpers.ts";
import type { ActorRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import { isOwnUrl, prepareEditedObject, prepareNewObject, type PrepareObjectReason } from "./prepare-object.ts";

/** Why a prebuilt activity was not published. */
export type PublishPrebuiltReason = PrepareObjectReason | OwnObjectReason | "invalidActivity" | "alreadyFollowing";

/** The published activity, or why not. */
export type PublishPrebuiltResult = (Published & { readonly objectUri?: string }) | ActionFailure<PublishPrebuiltReason>;

/** Parameters of {@link publishPrebuilt}. */
export interface PublishPrebuiltParams {
  /** The local actor the activity is by. */
  readonly actor: ActorRecord;
  readonly activity: Record<string, unknown>;
}

const ADDRESS_FIELDS = ["to", "cc", "bto", "bcc", "audience"] as const;

/** Publishes a prebuilt activity; an id is minted when it has none. */
export async function publishPrebuilt(ctx: FederationContext, params: PublishPrebuiltParams): Promise<PublishPrebuiltResult> {
  const { actor } = params;
  const type = params.activity.type;
  if (typeof type !== "string" || type === "") return refuse({ reason: "invalidActivity", message: "the activity needs a `type`" });
  const given = params.activity.id;
  if (given !== undefined && (typeof given !== "string" || !isOwnUrl(ctx, given))) {
    return refuse({ reason: "foreignId", message: `the activity id must be an http(s) URL on ${ctx.config.origin}` });
  }
  const activity: Record<string, unknown> = {
    ...params.activity,
    id: typeof given === "string" ? given : newActivityUri(ctx, { actor }),
    actor: actor.uri,
  };
  switch (type) {
    case "Create":
    case "Update":
      if (isJsonObject(activity.object)) return withObject(ctx, { actor, activity, edit: type === "Update" });
      break;
    case "Delete":
      return withDeletion(ctx, { actor, activity });
    case "Follow":
      return withFollow(ctx, { actor, activity });
    case "Like":
    case "Announce":
      return send(ctx, actor, activity, async (tx) => {
        const objectUri = idOf(activity.object);
        if (objectUri === undefined) return;
        const createdAt = ctx.now().toISOString();
        await tx.reactions.add({ activityUri: String(activity.id), type, actorUri: actor.uri, objectUri, createdAt });
      });
    case "Undo":
      return withUndo(ctx, { actor, activity });
  }
  return send(ctx, actor, activity);
}

interface ActivityParams {
  readonly actor: ActorRecord;
  readonly activity: Record<string, unknown>;
}

async function withObject(ctx: FederationContext, params: ActivityParams & { edit: boolean }): Promise<PublishPrebuiltResult> {
  const { actor, activity } = params;
  const prepare = params.edit ? prepareEditedObject : prepareNewObject;
  const prepared = await prepare(ctx, { actor, object: activity.object });
  if (!prepared.ok) return prepared;
  const { "@context": _context, ...embedded } = prepared.document;
  const sent: Record<string, unknown> = { ...activity, object: embedded };
  inheritAudience(sent, embedded, prepared.hidden);
  const published = await publishActivity(ctx, { actor, activity: sent, object: prepared.record });
  return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries, objectUri: prepared.record.uri };
}

async function withDeletion(ctx: FederationContext, params: ActivityParams): Promise<PublishPrebuiltResult> {
  const { actor, activity } = params;
  const objectUri = idOf(activity.object);
  if (objectUri === undefined) return refuse({ reason: "invalidActivity", message: "a Delete needs the id of what it deletes" });
  if (objectUri === actor.uri || !isOwnUrl(ctx, objectUri)) return send(ctx, actor, activity);
  const own = await ownLiveObject(ctx, { actor, objectUri });
  if (!own.ok) return own;
  const object = own.object;
  const deletedAt = ctx.now().toISOString();
  const tombstone = buildTombstone({ id: object.uri, formerType: object.type, deleted: deletedAt });
  const sent: Record<string, unknown> = { ...activity, object: tombstone };
  const named = new Set([...addressList(object.document.to), ...addressList(object.document.cc)]);
  inheritAudience(sent, object.document, object.recipients.filter((uri) => !named.has(uri)));
  const result = await send(ctx, actor, sent, async (tx) => {
    await tx.objects.tombstone(object.uri, { deletedAt, formerType: object.type, tombstone });
    await tx.collections.removeItemEverywhere(object.uri);
  });
  return result.ok ? { ...result, objectUri: object.uri } : result;
}

async function withFollow(ctx: FederationContext, params: ActivityParams): Promise<PublishPrebuiltResult> {
  const { actor, activity } = params;
  const target = idOf(activity.object);
  if (target === undefined || target === actor.uri) return refuse({ reason: "invalidActivity", message: "a Follow needs another actor's id as its object" });
  if ((await ctx.store.follows.get(actor.uri, target)) !== null) {
    return refuse({ reason: "alreadyFollowing", message: `${actor.uri} already follows or asked to follow ${target}` });
  }
  if (!ADDRESS_FIELDS.some((field) => activity[field] !== undefined)) activity.to = [target];
  return send(ctx, actor, activity, async (tx) => {
    const createdAt = ctx.now().toISOString();
    await tx.follows.put({ followerUri: actor.uri, followeeUri: target, activityUri: String(activity.id), state: "pending", createdAt });
  });
}

async function withUndo(ctx: FederationContext, params: ActivityParams): Promise<PublishPrebuiltResult> {
  const { actor, activity } = params;
  const undoneUri = idOf(activity.object);
  const undone = undoneUri === undefined ? null : await ctx.store.activities.get(undoneUri);
  if (undone === null || !undone.local || undone.actorUri !== actor.uri) return send(ctx, actor, activity);
  return send(ctx, actor, activity, async (tx) => {
    if (undone.type === "Like" || undone.type === "Announce") await tx.reactions.removeByActivity(undone.uri);
    if (undone.type === "Follow" && undone.objectUri !== null) {
      const follow = await tx.follows.get(actor.uri, undone.objectUri);
      if (follow !== null && follow.activityUri === undone.uri) await tx.follows.remove(actor.uri, undone.objectUri);
    }
  });
}

async function send(
  ctx: FederationContext,
  actor: ActorRecord,
  activity: Record<string, unknown>,
  alsoWrite?: (tx: Store) => Promise<void>,
): Promise<PublishPrebuiltResult> {
  const published = await publishActivity(ctx, { actor, activity, ...(alsoWrite === undefined ? {} : { alsoWrite }) });
  return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries };
}

/** An activity without addressing of its own reaches whoever its object reached; blind recipients stay blind. */
function inheritAudience(activity: Record<string, unknown>, object: Record<string, unknown>, hidden: readonly string[]): void {
  if (ADDRESS_FIELDS.some((field) => activity[field] !== undefined)) return;
  for (const field of ["to", "cc", "audience"] as const) {
    if (object[field] !== undefined) activity[field] = object[field];
  }
  if (hidden.length > 0) activity.bcc = [...hidden];
}
