/**
 * The body of a webhook delivery, built once when the delivery is queued so
 * that every retry sends the same bytes. Content is sanitized here: the
 * receiver may show it as is, and it is bounded, since it waits in the job
 * table and travels to a third party.
 */
import { htmlToPlainText, sanitizeRemoteHtml } from "../../protocol/sanitize.ts";
import type { InteractionEvent } from "../interactions/events.ts";
import type { WebhookFormat } from "./webhook-config.ts";
import { slackMessage } from "./slack-message.ts";

/** Longest content (sanitized HTML, and plain text) put into a JSON body. */
export const WEBHOOK_CONTENT_CHARS = 10_000;

/** Parameters of {@link webhookBody}. */
export interface WebhookBodyParams {
  readonly event: InteractionEvent;
  readonly deliveryId: string;
  readonly format: WebhookFormat;
  /** How the local actor is named in messages, e.g. `@alice`. */
  readonly localActorName: string;
}

/** The JSON text to POST. */
export function webhookBody(params: WebhookBodyParams): string {
  const { event } = params;
  if (params.format === "slack") return JSON.stringify(slackMessage({ event, localActorName: params.localActorName }));
  // Cut before sanitizing: the sanitizer then closes whatever the cut left open.
  const contentHtml = event.content === null ? null : sanitizeRemoteHtml(truncate(event.content));
  const contentText = event.content === null ? null : truncate(htmlToPlainText(event.content));
  return JSON.stringify({
    id: params.deliveryId,
    event: event.type,
    action: event.action,
    occurredAt: event.occurredAt,
    actor: event.actor,
    localActor: { uri: event.localActorUri, name: params.localActorName },
    target: event.targetUri,
    interaction: {
      uri: event.uri,
      url: event.url,
      visibility: event.visibility,
      published: event.published,
      contentHtml,
      contentText,
    },
  });
}

function truncate(text: string): string {
  return text.length <= WEBHOOK_CONTENT_CHARS ? text : `${text.slice(0, WEBHOOK_CONTENT_CHARS - 1)}…`;
}
