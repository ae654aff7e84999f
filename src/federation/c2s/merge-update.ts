/**
 * The partial update of ActivityPub §6.3.1: the client sends only the
 * properties that change; each one sent replaces the stored value, `null`
 * removes it, and the rest stay. Identity is not up for change: the id, the
 * type and the author are fixed, and dates belong to the server.
 */
import { idOf } from "../../protocol/json-ld.ts";

/** Properties a client cannot set through an Update: they stay as stored. */
const SERVER_KEPT = new Set(["id", "@context", "published", "updated", "items", "orderedItems", "totalItems", "first", "last", "current"]);

/** Parameters of {@link mergeUpdate}. */
export interface MergeUpdateParams {
  /** The stored document. */
  readonly current: Readonly<Record<string, unknown>>;
  /** What the client sent as the Update's object. */
  readonly changes: Readonly<Record<string, unknown>>;
}

/** The merged document, or what the client tried to change that it may not. */
export type MergeUpdateResult =
  | { readonly ok: true; readonly document: Record<string, unknown>; readonly changed: string[] }
  | { readonly ok: false; readonly reason: "immutableProperty"; readonly message: string };

/** Applies a partial update to a stored document. */
export function mergeUpdate(params: MergeUpdateParams): MergeUpdateResult {
  const { current, changes } = params;
  if (changes.type !== undefined && JSON.stringify(changes.type) !== JSON.stringify(current.type)) {
    return { ok: false, reason: "immutableProperty", message: `an object's type cannot change (it is ${JSON.stringify(current.type)})` };
  }
  if (changes.attributedTo !== undefined && idOf(changes.attributedTo) !== idOf(current.attributedTo)) {
    return { ok: false, reason: "immutableProperty", message: "an object's attributedTo cannot change" };
  }
  const document: Record<string, unknown> = { ...current };
  const changed: string[] = [];
  for (const [key, value] of Object.entries(changes)) {
    if (SERVER_KEPT.has(key) || key === "type" || key === "attributedTo") continue;
    if (value === null) {
      if (key in document) changed.push(key);
      delete document[key];
    } else {
      document[key] = value;
      changed.push(key);
    }
  }
  return { ok: true, document, changed };
}
