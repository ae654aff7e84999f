/**
 * The earlier activity an Undo, Accept or Reject embeds. Receivers match it by
 * id, but several (Mastodon among them) also read its type, actor and object
 * from the embedded copy, so it travels whole: as stored when this server has
 * it, else rebuilt from what the caller knows.
 */
import { stripHiddenRecipients } from "../../../protocol/addressing.ts";
import type { FederationContext } from "../../context.ts";

/** Parameters of {@link earlierActivity}. */
export interface EarlierActivityParams {
  readonly uri: string;
  readonly type: string;
  readonly actor: string;
  readonly object: string;
}

/** The activity to embed, without hidden recipients. */
export async function earlierActivity(ctx: FederationContext, params: EarlierActivityParams): Promise<Record<string, unknown>> {
  const stored = await ctx.store.activities.get(params.uri);
  if (stored !== null && stored.type === params.type && stored.actorUri === params.actor) {
    return stripHiddenRecipients(stored.document);
  }
  return { id: params.uri, type: params.type, actor: params.actor, object: params.object };
}
