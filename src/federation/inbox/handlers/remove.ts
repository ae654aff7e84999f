/** Remove: a remote actor unpins an object from its featured collection. */
import type { NormalizedActivity } from "../../../protocol/normalize.ts";
import type { HandlerOutcome, InboxHandlerContext } from "./handler.ts";
import { featuredTarget } from "./featured-target.ts";

/** Removes an item from the sending actor's own featured collection. */
export async function handleRemove(ctx: InboxHandlerContext, activity: NormalizedActivity): Promise<HandlerOutcome> {
  const target = await featuredTarget(ctx, { activity });
  if (!target.ok) return target.outcome;
  const removed = await ctx.store.collections.remove(target.collectionUri, target.itemUri);
  return removed ? { kind: "applied" } : { kind: "ignored", note: "item was not in the collection" };
}
