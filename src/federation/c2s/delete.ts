/**
 * A client's Delete: of one of the actor's objects (it becomes a Tombstone
 * and its URI answers 410) or of the actor itself. Both are the outbox
 * verbs the command line uses, so a post deleted either way ends the same.
 */
import type { ActorRecord } from "../../store/records.ts";
import { deleteLocalActor } from "../outbox/actions/delete-local-actor.ts";
import { deletePost } from "../outbox/actions/delete-post.ts";
import type { FederationContext } from "../context.ts";
import { objectIdOf } from "./client-activity.ts";
import { fromAction, submitFailure, type SubmitResult } from "./submit-result.ts";

/** Parameters of {@link submitDelete}. */
export interface SubmitDeleteParams {
  readonly actor: ActorRecord;
  readonly activity: Record<string, unknown>;
}

/** Deletes what a client's Delete names. */
export async function submitDelete(ctx: FederationContext, params: SubmitDeleteParams): Promise<SubmitResult> {
  const { actor, activity } = params;
  const id = objectIdOf({ activity });
  if (id === undefined) return submitFailure({ reason: "invalidObject", message: "a Delete needs the id of what it deletes as its object" });
  if (!ctx.uris.isLocal(id)) return submitFailure({ reason: "foreignObjectId", message: `${id.slice(0, 200)} is on another origin and cannot be deleted here` });
  if (id === actor.uri) return fromAction({ result: await deleteLocalActor(ctx, { actor }) });
  return fromAction({ result: await deletePost(ctx, { actor, objectUri: id }), objectUri: id });
}
