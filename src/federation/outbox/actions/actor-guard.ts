/**
 * The check every verb starts with: only a live local actor can act. A
 * deleted actor keeps its keys (to sign its own Delete) but must not post.
 */
import type { ActorRecord } from "../../../store/records.ts";
import { refuse, type ActionFailure } from "./action-result.ts";

/** Why an actor cannot act. */
export type ActorGuardReason = "notLocal" | "actorDeleted";

/** Parameters of {@link guardActor}. */
export interface GuardActorParams {
  readonly actor: ActorRecord;
}

/** A refusal when the actor may not act, else null. */
export function guardActor(params: GuardActorParams): ActionFailure<ActorGuardReason> | null {
  const { actor } = params;
  if (!actor.local) return refuse({ reason: "notLocal", message: `${actor.uri} is not an actor of this server` });
  if (actor.deletedAt !== null) return refuse({ reason: "actorDeleted", message: `${actor.uri} has been deleted` });
  return null;
}
