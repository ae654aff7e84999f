/**
 * Add: a remote actor pins an object to its featured collection. Only the
 * actor's own featured collection is tracked; other collections belong to
 * other features (or nobody here cares about them).
 */
import type { NormalizedActivity } from "../../../protocol/normalize.ts";
import type { HandlerOutcome, InboxHandlerContext } from "./handler.ts";
import { featuredTarget } from "./featured-target.ts";

/** Records an item added to the sending actor's own featured collection. */
export async function handleAdd(ctx: InboxHandlerContext, activity: NormalizedActivity): Promise<HandlerOutcome> {
  const target = await featuredTarget(ctx, { activity });
  if (!target.ok) return target.outcome;
  const added = await ctx.store.collections.add({
    collectionUri: target.collectionUri,
    itemUri: target.itemUri,
    addedAt: ctx.now().toISOString(),
  });
  return added ? { kind: "applied" } : { kind: "ignored", note: "item was already in the collection" };
}
