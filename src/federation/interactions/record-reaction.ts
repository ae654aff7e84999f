/**
 * Likes and boosts as interactions, recorded by the Like and Announce
 * handlers once the reaction itself is stored. A Like carries no addressing
 * worth the name (servers show favourite counts to everyone), so it counts as
 * public; a boost is as visible as its Announce is addressed.
 */
import { stripHiddenRecipients, visibilityOf } from "../../protocol/addressing.ts";
import type { NormalizedActivity } from "../../protocol/normalize.ts";
import type { InteractionRecord, Visibility } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { localFollowersOf } from "../inbox/local-recipients.ts";
import { resolveInteractionOptions } from "./options.ts";
import { recordInteraction, type RecordInteractionResult } from "./record-interaction.ts";

/** Parameters of {@link recordReaction}. */
export interface RecordReactionParams {
  /** The Like or Announce. */
  readonly activity: NormalizedActivity;
  readonly kind: "like" | "boost";
}

/** What recording did, or why there was nothing to record. */
export type RecordReactionResult =
  | RecordInteractionResult
  | { readonly recorded: false; readonly reason: "noTarget"; readonly message: string };

/** Records a Like or Announce of a local object (or, when remote targets are kept, of one a local actor's followee reacted to). */
export async function recordReaction(ctx: FederationContext, params: RecordReactionParams): Promise<RecordReactionResult> {
  const { activity, kind } = params;
  const targetUri = activity.object;
  const noTarget = (message: string): RecordReactionResult => ({ recorded: false, reason: "noTarget", message });
  if (targetUri === undefined) return noTarget("the activity names no object");

  let localActorUri: string | undefined;
  if (ctx.uris.isLocal(targetUri)) {
    const target = await ctx.store.objects.get(targetUri);
    if (target === null || !target.local || target.deletedAt !== null || target.attributedTo === null) {
      return noTarget("the local object is gone");
    }
    localActorUri = target.attributedTo;
  } else if (!resolveInteractionOptions({ options: ctx.interactions }).onlyLocalTargets) {
    [localActorUri] = await localFollowersOf(ctx, { actorUri: activity.actor });
  }
  if (localActorUri === undefined) return noTarget("the object is not one whose interactions are kept");

  const now = ctx.now().toISOString();
  const interaction: InteractionRecord = {
    uri: activity.id,
    kind,
    targetUri,
    localActorUri,
    actorUri: activity.actor,
    content: null,
    published: isoTime(activity.published) ?? now,
    updated: null,
    visibility: kind === "like" ? "public" : await boostVisibility(ctx, activity),
    document: stripHiddenRecipients(activity.raw),
    createdAt: now,
    deletedAt: null,
  };
  return recordInteraction(ctx, { interaction });
}

async function boostVisibility(ctx: FederationContext, activity: NormalizedActivity): Promise<Visibility> {
  const sender = await ctx.store.actors.get(activity.actor);
  const addressing = { to: activity.to, cc: activity.cc };
  return visibilityOf(sender?.followersUri == null ? addressing : { ...addressing, followersUri: sender.followersUri });
}

function isoTime(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
