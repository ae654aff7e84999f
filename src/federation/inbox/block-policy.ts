/**
 * What happens to activities from an actor that a recipient blocks. Most are
 * dropped unseen; a few are still processed because they only make the block
 * stick: a Follow is answered with a Reject, and a blocked actor's Undo or
 * Delete only removes what it left here.
 */

const PROCESSED_DESPITE_BLOCK: ReadonlySet<string> = new Set(["Follow", "Undo", "Delete"]);

/** Whether an activity of this type from a blocked actor is dropped. */
export function isDroppedWhenBlocked(activityType: string): boolean {
  return !PROCESSED_DESPITE_BLOCK.has(activityType);
}
