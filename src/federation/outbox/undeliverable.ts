/**
 * Delivery rules that depend on the kind of activity. Telling someone they
 * were blocked (or unblocked) only helps them get around the block, so Block
 * and Undo(Block) stay on this server. A Reject, on the other hand, must reach
 * the actor even when it is blocked: refusing a blocked actor's Follow is the
 * block at work, and without the Reject their server shows a follow request
 * pending forever.
 */
import { isJsonObject, typeOf } from "../../protocol/json-ld.ts";

/** Parameters of {@link isUndeliverable}. */
export interface UndeliverableParams {
  readonly activity: Record<string, unknown>;
}

/** Whether an activity must be kept from every other actor. */
export function isUndeliverable(params: UndeliverableParams): boolean {
  const { activity } = params;
  const type = typeOf(activity);
  if (type === "Block") return true;
  return type === "Undo" && isJsonObject(activity.object) && typeOf(activity.object) === "Block";
}

/** Whether an activity goes to its addressees even when the sender blocks them. */
export function reachesBlockedActors(params: UndeliverableParams): boolean {
  return typeOf(params.activity) === "Reject";
}
