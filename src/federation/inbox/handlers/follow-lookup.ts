/**
 * Finding the follow an Accept, Reject or Undo refers to. Servers name the
 * Follow by its id (the one we minted) or embed it; some embed a Follow with
 * a different id than the one we sent, so an embedded Follow is matched by
 * its follower and followee as well.
 */
import { asArray, idOf, typeOf } from "../../../protocol/json-ld.ts";
import type { NormalizedActivity } from "../../../protocol/normalize.ts";
import type { FollowRecord } from "../../../store/records.ts";
import type { FederationContext } from "../../context.ts";

/** Parameters of {@link findReferencedFollow}. */
export interface FindReferencedFollowParams {
  /** The Accept, Reject or Undo whose object is the Follow. */
  readonly activity: NormalizedActivity;
}

/** The stored follow an activity's object names, or null. */
export async function findReferencedFollow(
  ctx: FederationContext,
  params: FindReferencedFollowParams,
): Promise<FollowRecord | null> {
  const { activity } = params;
  if (activity.object !== undefined) {
    const byId = await ctx.store.follows.getByActivity(activity.object);
    if (byId !== null) return byId;
  }
  const embedded = activity.embeddedObject;
  if (embedded === undefined || typeOf(embedded) !== "Follow") return null;
  const follower = idOf(asArray(embedded.actor)[0]);
  const followee = idOf(asArray(embedded.object)[0]);
  if (follower === undefined || followee === undefined) return null;
  return ctx.store.follows.get(follower, followee);
}
