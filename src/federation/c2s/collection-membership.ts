/**
 * A client's Add and Remove, to and from the actor's own collections:
 * `featured` (pinned posts, through the same verbs as the command line) and
 * the collections the client created. Collections of other actors, and
 * collections this server does not keep, are refused.
 */
import type { ActorRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { featureObject, unfeatureObject } from "../outbox/actions/feature-object.ts";
import { publishActivity } from "../outbox/publish.ts";
import { objectIdOf } from "./client-activity.ts";
import { findOwnCollection } from "./client-collections.ts";
import { fromAction, submitFailure, type SubmitResult } from "./submit-result.ts";

/** Parameters of {@link submitCollectionChange}. */
export interface SubmitCollectionChangeParams {
  readonly actor: ActorRecord;
  readonly activity: Record<string, unknown>;
  readonly type: "Add" | "Remove";
}

/** Adds an item to, or removes it from, one of the actor's collections. */
export async function submitCollectionChange(ctx: FederationContext, params: SubmitCollectionChangeParams): Promise<SubmitResult> {
  const { actor, activity, type } = params;
  const item = objectIdOf({ activity });
  const target = objectIdOf({ activity, property: "target" });
  if (item === undefined || target === undefined) {
    return submitFailure({ reason: "invalidObject", message: `an ${type} needs an object (the item) and a target (the collection)` });
  }
  const found = await findOwnCollection(ctx, { actor, uri: target });
  if (!found.ok) return submitFailure({ reason: found.reason === "notYours" ? "notYours" : found.reason === "gone" ? "gone" : "invalidObject", message: found.message });
  const collection = found.collection;
  if (collection.kind === "featured") {
    const result = type === "Add" ? await featureObject(ctx, { actor, objectUri: item }) : await unfeatureObject(ctx, { actor, objectUri: item });
    return fromAction({ result });
  }

  const present = await ctx.store.collections.has(collection.uri, item);
  if (type === "Add" && present) return submitFailure({ reason: "conflict", message: `${item.slice(0, 200)} is already in ${collection.uri}` });
  if (type === "Remove" && !present) return submitFailure({ reason: "conflict", message: `${item.slice(0, 200)} is not in ${collection.uri}` });
  const addedAt = ctx.now().toISOString();
  // The collection's audience hears of the change unless the client addressed the activity itself.
  const addressed = ["to", "cc", "audience"].some((property) => activity[property] !== undefined);
  const published = await publishActivity(ctx, {
    actor,
    activity: addressed ? activity : { ...activity, to: collection.object.document.to, cc: collection.object.document.cc },
    alsoWrite: async (tx) => {
      if (type === "Add") await tx.collections.add({ collectionUri: collection.uri, itemUri: item, addedAt });
      else await tx.collections.remove(collection.uri, item);
    },
  });
  return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries };
}
