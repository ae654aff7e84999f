/**
 * The step the Create and Update handlers take after storing a remote
 * object: record what it amounts to (reply, quote, mention) and, for an edit,
 * withdraw what it no longer is (a mention or quote taken out).
 */
import type { NormalizedObject } from "../../protocol/normalize.ts";
import type { InteractionKind, ObjectRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { interactionsOfObject } from "./object-interactions.ts";
import { recordInteraction, withdrawInteractions } from "./record-interaction.ts";

/** Parameters of {@link recordObjectInteractions}. */
export interface RecordObjectInteractionsParams {
  readonly object: NormalizedObject & { attributedTo: string };
  /** The object as stored. */
  readonly kept: ObjectRecord;
  /** It arrived in an Update. */
  readonly edited?: boolean;
}

/** What was recorded. */
export interface RecordObjectInteractionsResult {
  /** Interactions stored new or changed. */
  readonly recorded: number;
  /** Interactions withdrawn because the edit dropped them. */
  readonly withdrawn: number;
}

const OBJECT_KINDS: readonly InteractionKind[] = ["reply", "quote", "mention"];

/** Records a remote object's interactions; idempotent, so a retried job may run it again. */
export async function recordObjectInteractions(
  ctx: FederationContext,
  params: RecordObjectInteractionsParams,
): Promise<RecordObjectInteractionsResult> {
  const derived = await interactionsOfObject(ctx, { object: params.object, kept: params.kept });
  let recorded = 0;
  const kept = new Set<InteractionKind>();
  for (const { record, approval } of derived) {
    const result = await recordInteraction(ctx, { interaction: record, approval, edited: params.edited === true });
    if (!result.recorded) continue;
    kept.add(record.kind);
    if (result.change !== "unchanged") recorded += 1;
  }
  let withdrawn = 0;
  if (params.edited === true) {
    // What the edit made private or unapproved (a revoked quote) leaves the lists too, not only what it removed.
    const dropped = OBJECT_KINDS.filter((kind) => !kept.has(kind));
    if (dropped.length > 0) withdrawn = await withdrawInteractions(ctx, { uri: params.object.id, kinds: dropped });
  }
  return { recorded, withdrawn };
}
