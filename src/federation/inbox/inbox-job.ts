/**
 * The durable unit of inbox work. `receive.ts` (remote deliveries) and the
 * outbox (deliveries between local actors) queue it; `process.ts` runs it.
 * The payload keeps the activity as received, so processing can be retried
 * or replayed without the original request.
 */
import { z } from "zod";

/** Queue name of inbox jobs. */
export const INBOX_QUEUE = "inbox";

/** What an inbox job carries. */
export interface InboxJobPayload {
  /** The activity document as received (bto/bcc included; they are stripped before storing). */
  activity: Record<string, unknown>;
  /** The verified sender: the owner of the key that signed the request, or the local actor that sent it. */
  signerUri: string;
  /** Set when the activity was posted to a personal inbox rather than the shared one. */
  recipientUsername?: string;
  /** When the request was accepted (ISO 8601). */
  receivedAt: string;
  /** True for activities between local actors, queued by the outbox. */
  local?: boolean;
}

/** Validates a payload read back from the queue, which may predate the current code. */
export const inboxJobPayloadSchema = z.object({
  activity: z.record(z.string(), z.unknown()),
  signerUri: z.string().min(1),
  recipientUsername: z.string().min(1).optional(),
  receivedAt: z.string().min(1),
  local: z.boolean().optional(),
});

/** Parameters of {@link inboxJobPayloadText}. */
export interface InboxJobPayloadTextParams {
  /** The activity as JSON text that parses to an object: a received body, as it came. */
  readonly activityJson: string;
  readonly signerUri: string;
  readonly receivedAt: string;
  readonly recipientUsername?: string;
}

/**
 * The JSON text of a remote activity's {@link InboxJobPayload}, written around
 * the activity's own text: it parses to the same payload as serializing one
 * built from the parsed activity would, without serializing the document again.
 */
export function inboxJobPayloadText(params: InboxJobPayloadTextParams): string {
  const recipient =
    params.recipientUsername === undefined ? "" : `,"recipientUsername":${JSON.stringify(params.recipientUsername)}`;
  return `{"signerUri":${JSON.stringify(params.signerUri)},"receivedAt":${JSON.stringify(params.receivedAt)}${recipient},"activity":${params.activityJson}}`;
}

/** Parameters of {@link inboxJobDedupeKey}. */
export interface InboxJobDedupeKeyParams {
  readonly activityId: string;
}

/**
 * The dedupe key of the inbox job for an activity: a redelivered activity
 * finds its first job and is not queued again.
 */
export function inboxJobDedupeKey(params: InboxJobDedupeKeyParams): string {
  return `inbox:${params.activityId}`;
}
