import { asArray, idOf, typeOf } from "./json-ld.ts";
import {
  actorContext,
  AS_CONTEXT,
  isActorType,
  objectContext,
  PUBLIC_COLLECTION,
  type JsonLdContext,
} from "./vocabulary.ts";

/** An activity's object: an id, or the object itself when it should travel embedded. */
export type ActivityObject = string | Readonly<Record<string, unknown>>;

/** Fields every activity builder takes. */
export interface ActivityParams {
  readonly id: string;
  readonly actor: string;
  readonly object: ActivityObject;
  readonly to?: readonly string[];
  readonly cc?: readonly string[];
  readonly published?: string;
  /** Overrides the `@context`; by default it is chosen from the activity and its object. */
  readonly context?: JsonLdContext;
}

/** Activities that act on a collection or another actor (Add, Remove, Move). */
export interface TargetedActivityParams extends ActivityParams {
  readonly target: string;
}

/** What a Tombstone replacing a deleted object says. */
export interface TombstoneParams {
  readonly id: string;
  readonly formerType?: string;
  /** When it was deleted, ISO 8601. */
  readonly deleted?: string;
}

interface Defaults {
  /** Take `to`/`cc` from the embedded object when not given. */
  readonly inheritAudience?: boolean;
  /** Address the embedded activity's actor when `to` is not given (Accept/Reject of a Follow). */
  readonly addressObjectActor?: boolean;
  /** Choose a context that defines the embedded object's terms. */
  readonly objectTerms?: boolean;
}

function buildActivity(
  type: string,
  params: ActivityParams & { readonly target?: string },
  defaults: Defaults = {},
): Record<string, unknown> {
  let object: string | Record<string, unknown>;
  let embeddedContext: JsonLdContext | undefined;
  if (typeof params.object === "string") {
    object = params.object;
  } else {
    // A nested @context is legal but redundant; it moves up to the activity.
    const { "@context": inner, ...rest } = params.object;
    object = rest;
    embeddedContext = inner as JsonLdContext | undefined;
  }
  const embedded = typeof object === "string" ? undefined : object;

  let to = params.to;
  let cc = params.cc;
  if (embedded !== undefined && defaults.inheritAudience) {
    to ??= stringList(embedded.to);
    cc ??= stringList(embedded.cc);
  }
  if (embedded !== undefined && defaults.addressObjectActor && to === undefined) {
    const objectActor = idOf(asArray(embedded.actor)[0]);
    if (objectActor !== undefined) to = [objectActor];
  }
  const objectIsActor = embedded !== undefined && isActorType(typeOf(embedded) ?? "");
  // Profile updates are public announcements even though the actor document has no audience.
  if (type === "Update" && objectIsActor && to === undefined) to = [PUBLIC_COLLECTION];

  let context: JsonLdContext = params.context ?? embeddedContext ?? AS_CONTEXT;
  if (params.context === undefined && embeddedContext === undefined && embedded !== undefined && defaults.objectTerms) {
    context = objectIsActor ? actorContext() : objectContext();
  }

  const doc: Record<string, unknown> = { "@context": context, id: params.id, type, actor: params.actor };
  if (params.published !== undefined) doc.published = params.published;
  if (to !== undefined) doc.to = [...to];
  if (cc !== undefined) doc.cc = [...cc];
  doc.object = object;
  if (params.target !== undefined) doc.target = params.target;
  return doc;
}

function stringList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return asArray(value).filter((entry): entry is string => typeof entry === "string");
}

/** Create: publishes a new object, addressed like the object unless told otherwise. */
export function buildCreate(params: ActivityParams): Record<string, unknown> {
  return buildActivity("Create", params, { inheritAudience: true, objectTerms: true });
}

/** Update: republishes an edited object or profile (profiles go to the public collection). */
export function buildUpdate(params: ActivityParams): Record<string, unknown> {
  return buildActivity("Update", params, { inheritAudience: true, objectTerms: true });
}

/** Delete: removes an object (usually a Tombstone) or, with the actor's own id, the actor. */
export function buildDelete(params: ActivityParams): Record<string, unknown> {
  return buildActivity("Delete", params);
}

/** The Tombstone that stands in for a deleted object. */
export function buildTombstone(params: TombstoneParams): Record<string, unknown> {
  const doc: Record<string, unknown> = { id: params.id, type: "Tombstone" };
  if (params.formerType !== undefined) doc.formerType = params.formerType;
  if (params.deleted !== undefined) doc.deleted = params.deleted;
  return doc;
}

/** Follow: asks to receive an actor's posts. */
export function buildFollow(params: ActivityParams): Record<string, unknown> {
  return buildActivity("Follow", params);
}

/** Accept: approves a request (usually a Follow), addressed to whoever sent it. */
export function buildAccept(params: ActivityParams): Record<string, unknown> {
  return buildActivity("Accept", params, { addressObjectActor: true });
}

/** Reject: declines a request (usually a Follow), addressed to whoever sent it. */
export function buildReject(params: ActivityParams): Record<string, unknown> {
  return buildActivity("Reject", params, { addressObjectActor: true });
}

/** Undo: withdraws an earlier activity, reaching the same audience it did. */
export function buildUndo(params: ActivityParams): Record<string, unknown> {
  return buildActivity("Undo", params, { inheritAudience: true });
}

/** Like: favourites an object. */
export function buildLike(params: ActivityParams): Record<string, unknown> {
  return buildActivity("Like", params);
}

/** Announce: boosts an object. */
export function buildAnnounce(params: ActivityParams): Record<string, unknown> {
  return buildActivity("Announce", params);
}

/** Block: tells an actor's server that the actor is blocked. */
export function buildBlock(params: ActivityParams): Record<string, unknown> {
  return buildActivity("Block", params);
}

/** Move: announces that the actor (`object`) now lives at `target`. */
export function buildMove(params: TargetedActivityParams): Record<string, unknown> {
  return buildActivity("Move", params);
}

/** Add: puts an object into a collection (e.g. pinning into `featured`). */
export function buildAdd(params: TargetedActivityParams): Record<string, unknown> {
  return buildActivity("Add", params);
}

/** Remove: takes an object out of a collection. */
export function buildRemove(params: TargetedActivityParams): Record<string, unknown> {
  return buildActivity("Remove", params);
}

