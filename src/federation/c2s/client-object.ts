/**
 * The object of a client's Create: its id is minted here (an id on another
 * server is refused: this server cannot speak for it), it is attributed to
 * the outbox's actor and dated now, its HTML is sanitized, and it shares the
 * Create's audience (ActivityPub §6.2). Everything else the client wrote,
 * such as an Event's `startTime` or a `location` Place, is kept as sent.
 */
import { recipientsOf, stripHiddenRecipients, visibilityOf } from "../../protocol/addressing.ts";
import { idOf, isJsonObject, typeOf } from "../../protocol/json-ld.ts";
import { addressList } from "../../protocol/normalize-helpers.ts";
import { AS_CONTEXT, isActorType } from "../../protocol/vocabulary.ts";
import type { ActorRecord, ObjectRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { newObjectUri } from "../outbox/actions/mint-uris.ts";
import { ADDRESSING } from "./client-activity.ts";
import { sanitizeClientHtml } from "./client-html.ts";
import { isCollectionType, withoutCollectionItems } from "./client-collections.ts";
import { submitFailure, type SubmitFailure } from "./submit-result.ts";

/** The object as stored and the Create carrying it. */
export interface PreparedObject {
  readonly record: ObjectRecord;
  /** The Create, now embedding the finished object. */
  readonly activity: Record<string, unknown>;
}

/** Parameters of {@link prepareNewObject}. */
export interface PrepareNewObjectParams {
  readonly actor: ActorRecord;
  /** A Create from {@link prepareClientActivity}. */
  readonly activity: Record<string, unknown>;
}

/** The object and its Create, or why the object is refused. */
export type PrepareNewObjectResult = ({ readonly ok: true } & PreparedObject) | SubmitFailure;

/** Finishes the object of a client's Create. */
export function prepareNewObject(ctx: FederationContext, params: PrepareNewObjectParams): PrepareNewObjectResult {
  const { actor, activity } = params;
  const given = Array.isArray(activity.object) && activity.object.length === 1 ? activity.object[0] : activity.object;
  if (!isJsonObject(given)) {
    return submitFailure({ reason: "invalidObject", message: "a Create must embed the object it creates (one JSON object)" });
  }
  const type = typeOf(given);
  if (type === undefined) return submitFailure({ reason: "missingType", message: 'the created object has no "type"' });
  if (type === "Tombstone") return submitFailure({ reason: "invalidObject", message: "a Tombstone is made by deleting an object, not created" });
  if (isActorType(type)) {
    return submitFailure({ reason: "unsupportedType", message: `${type} actors are created through POST /api/actors, not the outbox` });
  }
  const claimed = idOf(given);
  if (claimed !== undefined && !ctx.uris.isLocal(claimed)) {
    return submitFailure({
      reason: "foreignObjectId",
      message: `the object's id ${JSON.stringify(claimed.slice(0, 200))} is on another origin; leave "id" out and this server mints one`,
    });
  }
  if (given.attributedTo !== undefined && idOf(given.attributedTo) !== actor.uri) {
    return submitFailure({ reason: "foreignActor", message: `"attributedTo" must be ${actor.uri}, the outbox's owner` });
  }

  const { "@context": objectContext, ...rest } = given;
  const uri = newObjectUri(ctx, { actor });
  const published = typeof activity.published === "string" ? activity.published : ctx.now().toISOString();
  let object: Record<string, unknown> = sanitizeClientHtml({ object: rest });
  if (isCollectionType(type)) object = withoutCollectionItems({ object });
  object = { ...object, id: uri, type: given.type, attributedTo: actor.uri, published };
  delete object.updated;

  // The Create and its object reach the same people (§6.2): each gets the union of both.
  const { "@context": activityContext, ...activityRest } = activity;
  const context = activityContext ?? objectContext ?? AS_CONTEXT;
  const create: Record<string, unknown> = { "@context": context, ...activityRest };
  for (const property of ADDRESSING) {
    const union = [...new Set([...addressList(activity[property]), ...addressList(object[property])])];
    if (union.length > 0) {
      object[property] = union;
      create[property] = union;
    }
  }
  create.object = object;

  const followersUri = actor.followersUri ?? ctx.uris.followers(actor.username);
  const record: ObjectRecord = {
    uri,
    type,
    attributedTo: actor.uri,
    local: true,
    visibility: visibilityOf({ to: addressList(object.to), cc: addressList(object.cc), followersUri }),
    inReplyTo: idOf(object.inReplyTo) ?? null,
    published,
    updated: null,
    recipients: recipientsOf(object),
    document: stripHiddenRecipients({ "@context": context, ...object }),
    deletedAt: null,
    formerType: null,
  };
  return { ok: true, record, activity: create };
}
