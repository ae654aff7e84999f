/**
 * Taking back a Like or an Announce: an Undo embedding the original
 * activity, reaching everyone the original reached, with the reaction
 * removed in the same transaction. Works for posts deleted since, so a
 * reaction never gets stuck.
 */
import { buildUndo } from "../../../protocol/activities.ts";
import { stripHiddenRecipients } from "../../../protocol/addressing.ts";
import type { ActorRecord, ReactionType } from "../../../store/records.ts";
import type { FederationContext } from "../../context.ts";
import { publishActivity } from "../publish.ts";
import { refuse, type ActionFailure, type Published } from "./action-result.ts";
import { activeReaction } from "./active-reaction.ts";
import { guardActor, type ActorGuardReason } from "./actor-guard.ts";
import { newActivityUri } from "./mint-uris.ts";

/** Parameters of {@link undoReaction}. */
export interface UndoReactionParams<Reason extends string> {
  readonly actor: ActorRecord;
  readonly objectUri: string;
  readonly type: ReactionType;
  /** The refusal when the actor has no such reaction to the object. */
  readonly missing: { readonly reason: Reason; readonly message: string };
}

/** Sends Undo(Like) or Undo(Announce) for the actor's live reaction to an object. */
export async function undoReaction<Reason extends string>(
  ctx: FederationContext,
  params: UndoReactionParams<Reason>,
): Promise<Published | ActionFailure<ActorGuardReason | Reason>> {
  const { actor, objectUri } = params;
  const refused = guardActor({ actor });
  if (refused !== null) return refused;
  const reaction = await activeReaction(ctx, { actorUri: actor.uri, type: params.type, objectUri });
  if (reaction === null) return refuse(params.missing);

  const undo = buildUndo({ id: newActivityUri(ctx, { actor }), actor: actor.uri, object: stripHiddenRecipients(reaction.document) });
  const published = await publishActivity(ctx, {
    actor,
    activity: undo,
    alsoWrite: async (tx) => {
      await tx.reactions.removeByActivity(reaction.uri);
    },
  });
  return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries };
}
