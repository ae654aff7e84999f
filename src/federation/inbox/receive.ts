/**
 * The front door of the inbox: checks a POSTed activity cheaply (size, type,
 * JSON, shape), verifies its signature, and queues it durably for
 * `process.ts`. Nothing here changes state beyond that one job, so the sender
 * gets its answer quickly and a slow handler never holds a request open.
 */
import { sameOrigin } from "../../protocol/json-ld.ts";
import { normalizeActivity, type NormalizedActivity } from "../../protocol/normalize.ts";
import { verifyRequest } from "../../crypto/verify-request.ts";
import { JsonText } from "../../store/json-text.ts";
import type { ActorRecord } from "../../store/records.ts";
import { resolveKey } from "../actors/actor-resolver.ts";
import type { FederationContext } from "../context.ts";
import { isDroppedWhenBlocked } from "./block-policy.ts";
import { INBOX_QUEUE, inboxJobDedupeKey, inboxJobPayloadText } from "./inbox-job.ts";

/** A POST to an inbox, as the HTTP layer hands it over. */
export interface ReceiveActivityParams {
  readonly method: string;
  /** The public URL the sender addressed (origin, path and query), which the signature covers. */
  readonly url: string;
  readonly headers: Headers;
  /** The raw body; the signature's digest is computed over these exact bytes. */
  readonly body: Uint8Array;
  /** Set for a personal inbox (`/users/<name>/inbox`); absent for the shared inbox. */
  readonly recipientUsername?: string;
  /** The client address, for logs. */
  readonly remoteAddress?: string;
}

/** Why a delivery was refused. */
export type ReceiveFailureReason =
  | "payloadTooLarge"
  | "unsupportedMediaType"
  | "invalidJson"
  | "invalidActivity"
  | "foreignActivityId"
  | "unknownRecipient"
  | "recipientGone"
  | "signatureInvalid"
  | "keyUnavailable"
  | "signerMismatch";

/** The answer to a delivery: 202 once the job is durable, or a refusal with its status. */
export type ReceiveOutcome =
  | { ok: true; status: 202; duplicate: boolean }
  | {
      ok: false;
      status: 400 | 401 | 403 | 404 | 410 | 413 | 415 | 429;
      reason: ReceiveFailureReason;
      message: string;
    };

const ACCEPTED_MEDIA_TYPES: ReadonlySet<string> = new Set([
  "application/activity+json",
  "application/ld+json",
  "application/json",
]);

/**
 * Accepts an activity POSTed to an inbox. Returns 202 only after the inbox
 * job is committed, so an accepted activity survives a crash; a redelivered
 * activity is answered 202 with `duplicate: true` and not queued again.
 */
export async function receiveActivity(ctx: FederationContext, params: ReceiveActivityParams): Promise<ReceiveOutcome> {
  // Bindings go with each call: a child logger per request costs more than the few lines logged.
  const log = ctx.logger;
  const about = { component: "inbox", remoteAddress: params.remoteAddress };
  if (params.body.byteLength > ctx.config.maxInboxBytes) {
    return refuse(413, "payloadTooLarge", `request body is larger than ${ctx.config.maxInboxBytes} bytes`);
  }
  const mediaType = mediaTypeOf(params.headers.get("content-type"));
  if (mediaType === null || !ACCEPTED_MEDIA_TYPES.has(mediaType)) {
    return refuse(415, "unsupportedMediaType", `content type must be application/activity+json, not ${mediaType ?? "missing"}`);
  }
  const text = utf8Text(params.body);
  const json = text === undefined ? undefined : parseJson(text);
  if (text === undefined || json === undefined) return refuse(400, "invalidJson", "request body is not valid JSON");
  const normalized = normalizeActivity(json);
  if (!normalized.ok) return refuse(400, "invalidActivity", normalized.message);
  const activity = normalized.value;
  // An id on another server could be used to claim a real activity's id before it arrives.
  if (!sameOrigin(activity.id, activity.actor)) {
    return refuse(400, "foreignActivityId", `activity id ${activity.id} is not on the origin of its actor ${activity.actor}`);
  }

  let recipient: ActorRecord | null = null;
  if (params.recipientUsername !== undefined) {
    recipient = await ctx.store.actors.getLocal(params.recipientUsername);
    if (recipient === null || !recipient.local) {
      return refuse(404, "unknownRecipient", `no local actor named ${params.recipientUsername}`);
    }
    if (recipient.deletedAt !== null) return refuse(410, "recipientGone", `${params.recipientUsername} was deleted`);
  }

  if (await isUnknownActorDeletingItself(ctx, activity)) {
    // Servers announce every deleted account to every server they know; there is nothing of it here to remove.
    log.debug({ ...about, actor: activity.actor }, "ignored self-Delete of an unknown actor");
    return { ok: true, status: 202, duplicate: false };
  }

  let verified: Awaited<ReturnType<typeof verifyRequest>>;
  try {
    verified = await verifyRequest({
      method: params.method,
      url: params.url,
      headers: params.headers,
      body: params.body,
      now: ctx.now(),
      maxPastSeconds: ctx.config.signatureMaxPastSeconds,
      maxFutureSeconds: ctx.config.signatureMaxFutureSeconds,
      resolveKey: (keyId, options) => resolveKey(ctx, keyId, options),
    });
  } catch (error) {
    log.warn({ ...about, err: error, actor: activity.actor }, "could not fetch the signing key");
    return refuse(401, "keyUnavailable", "the signing key could not be fetched; try again later");
  }
  if (!verified.ok) {
    log.info({ ...about, reason: verified.reason, keyId: verified.keyId, actor: activity.actor }, "signature rejected");
    return refuse(401, "signatureInvalid", verified.message);
  }
  const signerUri = verified.ownerUri;
  if (signerUri !== activity.actor && !sameOrigin(signerUri, activity.actor)) {
    return refuse(401, "signerMismatch", `signer ${signerUri} is not the activity's actor ${activity.actor}`);
  }

  if (
    recipient !== null &&
    isDroppedWhenBlocked(activity.type) &&
    (await ctx.store.blocks.get(recipient.uri, activity.actor)) !== null
  ) {
    // Answered like any delivery: a blocked actor is not told about the block.
    log.info({ ...about, actor: activity.actor, recipient: recipient.uri }, "dropped an activity from a blocked actor");
    return { ok: true, status: 202, duplicate: false };
  }

  // The job keeps the document as it came, written around the body's own text instead of serialized again.
  const payload = inboxJobPayloadText({
    activityJson: text,
    signerUri,
    receivedAt: ctx.now().toISOString(),
    ...(recipient === null ? {} : { recipientUsername: recipient.username }),
  });
  const queued = await ctx.store.jobs.enqueue([
    { queue: INBOX_QUEUE, payload: new JsonText(payload), dedupeKey: inboxJobDedupeKey({ activityId: activity.id }) },
  ]);
  if (queued === 0) return { ok: true, status: 202, duplicate: true };
  ctx.jobsQueued([INBOX_QUEUE]);
  log.debug({ ...about, id: activity.id, type: activity.type, signer: signerUri }, "queued an incoming activity");
  return { ok: true, status: 202, duplicate: false };
}

function refuse(
  status: Extract<ReceiveOutcome, { ok: false }>["status"],
  reason: ReceiveFailureReason,
  message: string,
): ReceiveOutcome {
  return { ok: false, status, reason, message };
}

/** The bare media type of a Content-Type header, lower case; null when absent. */
function mediaTypeOf(header: string | null): string | null {
  if (header === null) return null;
  const type = header.split(";", 1)[0]?.trim().toLowerCase() ?? "";
  return type === "" ? null : type;
}

// One decoder serves every request: decode() without `stream` carries no state from one call to the next.
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The body as text, or undefined when it is not UTF-8. */
function utf8Text(body: Uint8Array): string | undefined {
  try {
    return UTF8.decode(body);
  } catch {
    return undefined;
  }
}

/** The parsed text, or undefined when it is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function isUnknownActorDeletingItself(ctx: FederationContext, activity: NormalizedActivity): Promise<boolean> {
  if (activity.type !== "Delete" || activity.object !== activity.actor) return false;
  return (await ctx.store.actors.get(activity.actor)) === null;
}
