/**
 * Activities that are recorded but never sent. Telling someone they were
 * blocked (or unblocked) only helps them get around the block, so Block and
 * Undo(Block) stay on this server, as Mastodon keeps them.
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
