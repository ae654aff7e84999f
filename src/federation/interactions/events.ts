/**
 * What the host application is told about interactions: one event shape for
 * the `onInteraction` hook and for webhooks, plain JSON so that it can wait
 * in a job and travel over HTTP unchanged.
 */
import type { InteractionKind, Visibility } from "../../store/records.ts";

/** What happened: an interaction of one of the stored kinds, or a new follower. */
export type InteractionEventType = InteractionKind | "follow";

/** Every event type, in the order documentation lists them. */
export const INTERACTION_EVENT_TYPES: readonly InteractionEventType[] = ["follow", "mention", "reply", "like", "boost", "quote"];

/**
 * `created` for a new interaction, `updated` when its author edited it,
 * `deleted` when it was deleted or withdrawn (Undo), `requested` for a quote
 * (or follow) that waits for the owner's approval.
 */
export type InteractionAction = "created" | "updated" | "deleted" | "requested";

/** Who interacted, as far as this server knows them. */
export interface InteractionActor {
  readonly uri: string;
  readonly name: string | null;
  /** `@user@host`, or null when the actor's document was never fetched. */
  readonly handle: string | null;
  /** The profile page (http or https), or the actor's id. */
  readonly url: string;
  /** The avatar (http or https only), if any. */
  readonly iconUrl: string | null;
}

/** One interaction, as the hook and webhooks see it. */
export interface InteractionEvent {
  readonly type: InteractionEventType;
  readonly action: InteractionAction;
  /** The interaction's id: the reply, mention or quote object, or the Like, Announce or Follow activity. */
  readonly uri: string;
  /** Where a person can see the interaction (the object's `url`), else its id. */
  readonly url: string;
  readonly actor: InteractionActor;
  /** The local actor concerned (the target's author, the actor mentioned or followed). */
  readonly localActorUri: string;
  /** The local object interacted with; null for follows and bare mentions. */
  readonly targetUri: string | null;
  /** HTML as received, unsanitized; null for likes, boosts and follows. */
  readonly content: string | null;
  readonly visibility: Visibility;
  readonly published: string | null;
  /** Whether the interaction is kept for display (public ones, or every one with storePrivateInteractions). */
  readonly stored: boolean;
  /** When this server learned of it. */
  readonly occurredAt: string;
}
