/**
 * The shape every inbox handler shares: one function per activity type,
 * taking the federation context widened with who sent the activity and how
 * it arrived.
 */
import type { NormalizedActivity } from "../../../protocol/normalize.ts";
import type { Store } from "../../../store/store.ts";
import type { MaybeInJob } from "../inbox-lookups.ts";

/** The context an inbox handler runs in. */
export interface InboxHandlerContext extends MaybeInJob {
  /** The verified sender (the signing key's owner, or the local actor that sent it). */
  readonly signerUri: string;
  /** The local actor whose personal inbox received the activity, if it was not the shared inbox. */
  readonly recipientUsername?: string;
  /** True when the activity came from a local actor through the outbox. */
  readonly local: boolean;
  /**
   * Prepares the storing of the received activity and its recipients' inbox
   * entries, to be written in the transaction of the handler's own writes so
   * that both cost one commit. The reads it needs are made here, before that
   * transaction opens. The write answers false when the activity was stored
   * already; once it ran, processing does not store the activity again, so a
   * handler must let a failure of that transaction end the job (which then
   * runs again) rather than answer an outcome.
   */
  readonly prepareRecord?: () => Promise<(tx: Store) => Promise<boolean>>;
}

/**
 * What a handler did. `ignored` is not an error: the activity was valid but
 * did not concern this server or failed a guard clause, and `note` says why.
 * `retry` means a remote server could not be reached and the job should run again.
 */
export type HandlerOutcome =
  | { kind: "applied" | "ignored"; note?: string }
  | { kind: "retry"; error: string };

/** An inbox handler for one activity type. */
export type InboxHandler = (ctx: InboxHandlerContext, activity: NormalizedActivity) => Promise<HandlerOutcome>;
