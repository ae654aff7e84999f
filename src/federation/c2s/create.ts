/** A client's Create: the finished object is stored and the Create published to its audience. */
import type { ActorRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { publishActivity } from "../outbox/publish.ts";
import { prepareNewObject } from "./client-object.ts";
import type { SubmitResult } from "./submit-result.ts";

/** Parameters of {@link submitCreate}. */
export interface SubmitCreateParams {
  readonly actor: ActorRecord;
  readonly activity: Record<string, unknown>;
}

/** Publishes a client's Create with its object. */
export async function submitCreate(ctx: FederationContext, params: SubmitCreateParams): Promise<SubmitResult> {
  const prepared = prepareNewObject(ctx, params);
  if (!prepared.ok) return prepared;
  const published = await publishActivity(ctx, { actor: params.actor, activity: prepared.activity, object: prepared.record });
  return { ok: true, activityUri: published.activityUri, objectUri: prepared.record.uri, deliveries: published.deliveries };
}
