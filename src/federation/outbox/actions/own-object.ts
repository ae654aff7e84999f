/**
 * The guard of verbs that change a post (edit, delete, pin): the post must be
 * stored here, written by the acting local actor, and not deleted.
 */
import type { ActorRecord, ObjectRecord } from "../../../store/records.ts";
import type { FederationContext } from "../../context.ts";
import { refuse, type ActionFailure } from "./action-result.ts";

/** Why the actor cannot change the post. */
export type OwnObjectReason = "objectNotFound" | "notYours" | "objectDeleted";

/** The post, or why the actor may not change it. */
export type OwnObjectResult = { ok: true; object: ObjectRecord } | ActionFailure<OwnObjectReason>;

/** Parameters of {@link ownLiveObject}. */
export interface OwnObjectParams {
  readonly actor: ActorRecord;
  readonly objectUri: string;
}

/** Loads a live local post of the actor's. */
export async function ownLiveObject(ctx: FederationContext, params: OwnObjectParams): Promise<OwnObjectResult> {
  const { actor, objectUri } = params;
  const object = await ctx.store.objects.get(objectUri);
  if (object === null) return refuse({ reason: "objectNotFound", message: `there is no post ${objectUri} on this server` });
  if (!object.local || object.attributedTo !== actor.uri) {
    return refuse({ reason: "notYours", message: `${objectUri} is not a post of ${actor.uri}` });
  }
  if (object.deletedAt !== null) return refuse({ reason: "objectDeleted", message: `${objectUri} has been deleted` });
  return { ok: true, object };
}
