/**
 * Update: an edited object, or an actor's changed profile. Objects are
 * replaced only by a strictly newer revision from their author; actors may
 * only update themselves.
 */
import { idOf, sameOrigin, typeOf } from "../../../protocol/json-ld.ts";
import type { NormalizedActivity } from "../../../protocol/normalize.ts";
import { isActorType } from "../../../protocol/vocabulary.ts";
import { refreshActorFromDocument } from "../../actors/actor-resolver.ts";
import { recordObjectInteractions } from "../../interactions/record-object-interactions.ts";
import type { HandlerOutcome, InboxHandlerContext } from "./handler.ts";
import { incomingObject } from "./incoming-object.ts";
import { concernsLocalActor, keptObjectRecord } from "./kept-object.ts";
import { isTransientFailure, lookUpActor } from "./remote-lookups.ts";
import { isNewerRevision } from "./revision-policy.ts";

/** Applies an edit of a remote object or a remote actor's profile. */
export async function handleUpdate(ctx: InboxHandlerContext, activity: NormalizedActivity): Promise<HandlerOutcome> {
  if (ctx.local) return { kind: "ignored", note: "local objects and actors are updated by the outbox" };
  const embeddedType = activity.embeddedObject === undefined ? undefined : typeOf(activity.embeddedObject);
  if (embeddedType !== undefined && isActorType(embeddedType)) return updateActor(ctx, activity);
  if (activity.embeddedObject === undefined && activity.object === activity.actor) return updateActor(ctx, activity);
  return updateObject(ctx, activity);
}

async function updateActor(ctx: InboxHandlerContext, activity: NormalizedActivity): Promise<HandlerOutcome> {
  const document = activity.embeddedObject;
  const actorUri = (document === undefined ? undefined : idOf(document)) ?? activity.object;
  if (actorUri !== activity.actor) return { kind: "ignored", note: "an actor may only update itself" };

  // A document is taken as sent only from its own server; otherwise (or when only an id came) it is fetched.
  if (document === undefined || !sameOrigin(actorUri, ctx.signerUri)) {
    const refreshed = await lookUpActor(ctx, { uri: actorUri, refresh: true });
    return refreshed.ok ? { kind: "applied", note: "actor fetched again" } : refreshed.outcome;
  }
  const result = await refreshActorFromDocument(ctx, document);
  if (result.ok) return { kind: "applied" };
  if (isTransientFailure({ reason: result.reason })) return { kind: "retry", error: result.message };
  return { kind: "ignored", note: `actor document rejected: ${result.message}` };
}

async function updateObject(ctx: InboxHandlerContext, activity: NormalizedActivity): Promise<HandlerOutcome> {
  const incoming = await incomingObject(ctx, { activity });
  if (!incoming.ok) return incoming.outcome;
  const { object } = incoming;

  const stored = await ctx.store.objects.get(object.id);
  if (stored === null) {
    // An edit of something never seen: kept like a Create when it concerns someone here.
    if ((await concernsLocalActor(ctx, { object, activity })) === null) {
      return { kind: "ignored", note: "updated object is unknown here and concerns no local actor" };
    }
  } else {
    if (stored.local) return { kind: "ignored", note: "a remote actor cannot update a local object" };
    if (stored.deletedAt !== null) return { kind: "ignored", note: "updated object was deleted" };
    if (stored.attributedTo !== object.attributedTo) return { kind: "ignored", note: "only the author may update an object" };
    if (!isNewerRevision({ stored: stored.updated, incoming: object.updated })) {
      return { kind: "ignored", note: "update is not newer than the stored version" };
    }
  }
  const kept = await keptObjectRecord(ctx, { object, activity });
  await ctx.store.objects.put(kept);
  await recordObjectInteractions(ctx, { object, kept, edited: stored !== null });
  return { kind: "applied" };
}
