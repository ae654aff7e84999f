/**
 * Posting to an outbox (ActivityPub §6), the one entry point the HTTP route
 * and the upload endpoint share: the document is checked and made an
 * activity of the outbox's actor, then handled by its type. Activities with
 * no side effect here (Arrive, Read, View, …) are published as they are.
 */
import type { ActorRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { publishActivity } from "../outbox/publish.ts";
import { prepareClientActivity } from "./client-activity.ts";
import { submitCollectionChange } from "./collection-membership.ts";
import { submitCreate } from "./create.ts";
import { submitDelete } from "./delete.ts";
import { RELATIONSHIP_TYPES, submitRelationship } from "./relationships.ts";
import { submitFailure, type SubmitResult } from "./submit-result.ts";
import { submitUndo } from "./undo.ts";
import { submitUpdate } from "./update.ts";

/** Parameters of {@link submitClientActivity}. */
export interface SubmitClientActivityParams {
  /** The outbox's owner, already checked to be the caller's. */
  readonly actor: ActorRecord;
  /** The parsed JSON body. */
  readonly body: unknown;
}

/** Publishes what a client posted to the actor's outbox. */
export async function submitClientActivity(ctx: FederationContext, params: SubmitClientActivityParams): Promise<SubmitResult> {
  const { actor } = params;
  if (actor.deletedAt !== null) return submitFailure({ reason: "actorDeleted", message: `${actor.uri} has been deleted` });
  const prepared = prepareClientActivity(ctx, params);
  if (!prepared.ok) return prepared;
  const { activity, type } = prepared;
  switch (type) {
    case "Create":
      return submitCreate(ctx, { actor, activity });
    case "Update":
      return submitUpdate(ctx, { actor, activity });
    case "Delete":
      return submitDelete(ctx, { actor, activity });
    case "Undo":
      return submitUndo(ctx, { actor, activity });
    case "Add":
    case "Remove":
      return submitCollectionChange(ctx, { actor, activity, type });
    default:
      if (RELATIONSHIP_TYPES.has(type)) return submitRelationship(ctx, { actor, activity, type });
      return submitPlain(ctx, { actor, activity });
  }
}

/** Parameters of {@link submitPlain}. */
interface SubmitPlainParams {
  readonly actor: ActorRecord;
  readonly activity: Record<string, unknown>;
}

async function submitPlain(ctx: FederationContext, params: SubmitPlainParams): Promise<SubmitResult> {
  const published = await publishActivity(ctx, params);
  return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries };
}
