/**
 * Inbox plugins: handlers a host application registers to run after Outpost's
 * own processing of an incoming activity (tell a chat channel about a mention,
 * keep a site's comment table in sync). A failing plugin is logged and retried
 * on its own; it never fails Outpost's processing of the activity.
 */
import type { NormalizedActivity } from "../../protocol/normalize.ts";

/** What a plugin sees of a processed activity. */
export interface InboxPluginEvent {
  readonly activity: NormalizedActivity;
  /** URIs of the local actors the activity was addressed or delivered to. */
  readonly localRecipients: readonly string[];
  /** The verified sender (the actor whose key signed the request). */
  readonly signerUri: string;
}

export interface InboxPlugin {
  /** A name for logs and retries. */
  readonly name: string;
  /** Activity types to run for (e.g. ["Create", "Like"]), or "*" for all. */
  readonly types: readonly string[] | "*";
  /** Run only when one of these local actors (usernames or URIs) is a recipient. */
  readonly localActors?: readonly string[];
  /** Run only for activities whose actor is on one of these hosts. */
  readonly remoteDomains?: readonly string[];
  handle(event: InboxPluginEvent): Promise<void>;
}
