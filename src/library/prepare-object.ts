/**
 * Turning an object a host application built (an Article for a blog post, a
 * Note, an Event) into what is published and stored: its id checked or
 * minted, attributed to the publishing actor, addressed publicly unless the
 * application addressed it, its HTML sanitized, and for an edit, `updated`
 * moved strictly forward so that receivers keep the new version.
 */
import type { FederationContext } from "../federation/context.ts";
import { refuse, type ActionFailure } from "../federation/outbox/actions/action-result.ts";
import { newObjectUri } from "../federation/outbox/actions/mint-uris.ts";
import { nextUpdated } from "../federation/outbox/actions/next-updated.ts";
import { ownLiveObject, type OwnObjectReason } from "../federation/outbox/actions/own-object.ts";
import { addressFor, recipientsOf, stripHiddenRecipients, visibilityOf } from "../protocol/addressing.ts";
import { idOf, isJsonObject } from "../protocol/json-ld.ts";
import { addressList } from "../protocol/normalize-helpers.ts";
import { sanitizeRemoteHtml } from "../protocol/sanitize.ts";
import { isActivityType, isActorType, objectContext } from "../protocol/vocabulary.ts";
import type { ActorRecord, ObjectRecord } from "../store/records.ts";

/** Why an object cannot be published. */
export type PrepareObjectReason = OwnObjectReason | "invalidObject" | "foreignId" | "alreadyPublished";

/** The object as it will be sent and stored, or why not. */
export type PreparedObject =
  | { readonly ok: true; readonly record: ObjectRecord; readonly document: Record<string, unknown>; readonly hidden: string[] }
  | ActionFailure<PrepareObjectReason>;

/** Parameters of {@link prepareNewObject} and {@link prepareEditedObject}. */
export interface PrepareObjectParams {
  readonly actor: ActorRecord;
  readonly object: unknown;
}

const ADDRESS_FIELDS = ["to", "cc", "bto", "bcc", "audience"] as const;
const HTML_FIELDS = ["content", "summary"] as const;

/** Checks and completes a new object; its id is minted under the actor when it has none. */
export async function prepareNewObject(ctx: FederationContext, params: PrepareObjectParams): Promise<PreparedObject> {
  const { actor } = params;
  const checked = checkShape(ctx, params);
  if (!checked.ok) return checked;
  const given = checked.object;
  const id = typeof given.id === "string" ? given.id : newObjectUri(ctx, { actor });
  const existing = await ctx.store.objects.get(id);
  if (existing !== null) {
    return existing.deletedAt === null
      ? refuse({ reason: "alreadyPublished", message: `${id} is already published; publish it with activity "Update" to change it` })
      : refuse({ reason: "objectDeleted", message: `${id} was deleted; other servers keep its Tombstone, so publish the new version under a new id` });
  }
  const now = ctx.now().toISOString();
  const document: Record<string, unknown> = {
    ...given,
    id,
    attributedTo: actor.uri,
    published: typeof given.published === "string" ? given.published : now,
    url: given.url ?? id,
  };
  if (!ADDRESS_FIELDS.some((field) => given[field] !== undefined)) {
    // Unaddressed means public: what a site publishes is meant for everyone, its followers first.
    const { to, cc } = addressFor({ visibility: "public", followersUri: followersOf(ctx, actor), mentions: [] });
    Object.assign(document, { to, cc });
  }
  return finish(ctx, { actor, document, published: String(document.published), updated: null, extraHidden: [] });
}

/**
 * Checks an edited version of one of the actor's live objects. Addressing
 * left out keeps the stored one; `published` stays; `updated` is set.
 */
export async function prepareEditedObject(ctx: FederationContext, params: PrepareObjectParams): Promise<PreparedObject> {
  const { actor } = params;
  const checked = checkShape(ctx, params);
  if (!checked.ok) return checked;
  const given = checked.object;
  if (typeof given.id !== "string") return refuse({ reason: "invalidObject", message: "an Update needs the id of the object it changes" });
  const own = await ownLiveObject(ctx, { actor, objectUri: given.id });
  if (!own.ok) return own;
  const current = own.object;
  const updated = nextUpdated({ now: ctx.now(), updated: current.updated, published: current.published });
  const document: Record<string, unknown> = {
    ...given,
    attributedTo: actor.uri,
    published: current.published ?? updated,
    updated,
    url: given.url ?? current.document.url ?? given.id,
  };
  if (!ADDRESS_FIELDS.some((field) => given[field] !== undefined)) {
    for (const field of ["to", "cc", "audience"] as const) {
      if (current.document[field] !== undefined) document[field] = current.document[field];
    }
  }
  // Blind recipients of the earlier version hold a copy too; they get the new one, still blind.
  const named = new Set(recipientsOf({ to: document.to, cc: document.cc, audience: document.audience }));
  const extraHidden = current.recipients.filter((uri) => !named.has(uri));
  return finish(ctx, { actor, document, published: String(document.published), updated, extraHidden });
}

interface FinishParams {
  readonly actor: ActorRecord;
  readonly document: Record<string, unknown>;
  readonly published: string;
  readonly updated: string | null;
  readonly extraHidden: readonly string[];
}

function finish(ctx: FederationContext, params: FinishParams): PreparedObject {
  const { actor } = params;
  const document = sanitizeHtmlFields(params.document);
  if (document["@context"] === undefined) document["@context"] = objectContext();
  const to = addressList(document.to);
  const cc = addressList(document.cc);
  const named = new Set(recipientsOf({ to, cc, audience: document.audience }));
  const hidden = [...new Set([...recipientsOf({ bto: document.bto, bcc: document.bcc }), ...params.extraHidden])].filter(
    (uri) => !named.has(uri),
  );
  const served = stripHiddenRecipients(document);
  const record: ObjectRecord = {
    uri: String(document.id),
    type: String(document.type),
    attributedTo: actor.uri,
    local: true,
    visibility: visibilityOf({ to, cc, followersUri: followersOf(ctx, actor) }),
    inReplyTo: idOf(document.inReplyTo) ?? null,
    published: params.published,
    updated: params.updated,
    recipients: [...new Set([...named, ...hidden])],
    document: served,
    deletedAt: null,
    formerType: null,
  };
  return { ok: true, record, document: served, hidden };
}

type ShapeResult = { ok: true; object: Record<string, unknown> } | ActionFailure<PrepareObjectReason>;

function checkShape(ctx: FederationContext, params: PrepareObjectParams): ShapeResult {
  const { object, actor } = params;
  if (!isJsonObject(object)) return refuse({ reason: "invalidObject", message: "the object must be a JSON object" });
  const type = object.type;
  if (typeof type !== "string" || type === "") return refuse({ reason: "invalidObject", message: "the object needs a `type`, e.g. Article or Note" });
  if (isActivityType(type) || isActorType(type) || type === "Tombstone") {
    return refuse({ reason: "invalidObject", message: `a ${type} is not an object to publish; use publishActivity for activities` });
  }
  if (object.id !== undefined) {
    if (typeof object.id !== "string" || !isOwnUrl(ctx, object.id)) {
      return refuse({
        reason: "foreignId",
        message: `the object id must be an http(s) URL on ${ctx.config.origin}, e.g. the post's permalink: got ${JSON.stringify(object.id).slice(0, 200)}`,
      });
    }
  }
  const author = idOf(object.attributedTo);
  if (author !== undefined && author !== actor.uri) {
    return refuse({ reason: "notYours", message: `the object is attributed to ${author}, not to ${actor.uri}` });
  }
  return { ok: true, object };
}

/** Whether a URL is on this site's origin: ids elsewhere could not be served, nor trusted by receivers. */
export function isOwnUrl(ctx: FederationContext, url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === "https:" || parsed.protocol === "http:") && parsed.origin === ctx.config.origin && parsed.hash === "";
  } catch {
    return false;
  }
}

function followersOf(ctx: FederationContext, actor: ActorRecord): string {
  return actor.followersUri ?? ctx.uris.followers(actor.username);
}

function sanitizeHtmlFields(document: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...document };
  for (const field of HTML_FIELDS) {
    const value = copy[field];
    if (typeof value === "string") copy[field] = sanitizeRemoteHtml(value);
    const map = copy[`${field}Map`];
    if (isJsonObject(map)) {
      copy[`${field}Map`] = Object.fromEntries(
        Object.entries(map).map(([language, text]) => [language, typeof text === "string" ? sanitizeRemoteHtml(text) : text]),
      );
    }
  }
  return copy;
}
