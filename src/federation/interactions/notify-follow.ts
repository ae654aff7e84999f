/**
 * A new follower, told to the hook and to webhooks like an interaction.
 * Follows are kept by the follow repository, not as interactions, so the
 * event says `stored: false`.
 */
import type { NormalizedActivity } from "../../protocol/normalize.ts";
import type { ActorRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { interactionActorOf } from "./interaction-actor.ts";
import { notifyInteraction } from "./notify.ts";

/** Parameters of {@link notifyFollow}. */
export interface NotifyFollowParams {
  /** The Follow. */
  readonly activity: NormalizedActivity;
  readonly follower: ActorRecord;
  /** The local actor followed. */
  readonly followee: ActorRecord;
  /** The follow awaits the followee's approval. */
  readonly pending: boolean;
}

/** Tells the host about a new follower (or a follow request). */
export async function notifyFollow(ctx: FederationContext, params: NotifyFollowParams): Promise<void> {
  const actor = interactionActorOf({ uri: params.follower.uri, actor: params.follower });
  await notifyInteraction(ctx, {
    event: {
      type: "follow",
      action: params.pending ? "requested" : "created",
      uri: params.activity.id,
      url: actor.url,
      actor,
      localActorUri: params.followee.uri,
      targetUri: null,
      content: null,
      visibility: "public",
      published: params.activity.published ?? null,
      stored: false,
      occurredAt: ctx.now().toISOString(),
    },
  });
}
