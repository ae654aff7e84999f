/**
 * The guard Add and Remove share: the target must be the sending actor's own
 * featured collection, as its actor document names it, so nobody can edit
 * another actor's pins.
 */
import type { NormalizedActivity } from "../../../protocol/normalize.ts";
import type { FederationContext } from "../../context.ts";
import type { HandlerOutcome } from "./handler.ts";
import { lookUpActor } from "./remote-lookups.ts";

/** Parameters of {@link featuredTarget}. */
export interface FeaturedTargetParams {
  readonly activity: NormalizedActivity;
}

/** The collection and item of an Add/Remove on the actor's featured collection, or the outcome to return. */
export type FeaturedTarget =
  | { ok: true; collectionUri: string; itemUri: string }
  | { ok: false; outcome: HandlerOutcome };

/** Checks that an Add/Remove targets its actor's own featured collection. */
export async function featuredTarget(ctx: FederationContext, params: FeaturedTargetParams): Promise<FeaturedTarget> {
  const { activity } = params;
  const ignore = (note: string): FeaturedTarget => ({ ok: false, outcome: { kind: "ignored", note } });
  if (activity.object === undefined) return ignore(`${activity.type} has no object id`);
  if (activity.target === undefined) return ignore(`${activity.type} has no target`);
  if (ctx.uris.isLocal(activity.actor)) return ignore("local collections are changed through the outbox");

  const actor = await lookUpActor(ctx, { uri: activity.actor });
  if (!actor.ok) return actor;
  if (actor.actor.featuredUri === null || actor.actor.featuredUri !== activity.target) {
    return ignore("target is not the actor's featured collection");
  }
  return { ok: true, collectionUri: activity.target, itemUri: activity.object };
}
