/**
 * QuoteRequest (FEP-044f): a remote actor asks to quote a local object,
 * naming its quote post as `instrument`. The object's policy decides: an
 * Accept with a QuoteAuthorization as `result`, a Reject, or a request held
 * for the owner (approveQuote / rejectQuote). A request answered before is
 * answered again the same way: the requester evidently lost the answer.
 */
import { stripHiddenRecipients } from "../../../protocol/addressing.ts";
import { asArray, idOf, isHttpUri, isJsonObject } from "../../../protocol/json-ld.ts";
import type { NormalizedActivity } from "../../../protocol/normalize.ts";
import type { QuoteAuthorizationRecord, QuoteAuthorizationState } from "../../../store/records.ts";
import { recordObjectInteractions } from "../../interactions/record-object-interactions.ts";
import { answerQuoteRequest } from "../../quotes/answer-quote-request.ts";
import { evaluateQuote } from "../../quotes/quote-evaluation.ts";
import { newQuoteAuthorizationUri } from "../../quotes/quote-uris.ts";
import type { HandlerOutcome, InboxHandlerContext } from "./handler.ts";
import { incomingObject } from "./incoming-object.ts";
import { keptObjectRecord } from "./kept-object.ts";

const STATE_OF_VERDICT: Readonly<Record<"accept" | "reject" | "manual", QuoteAuthorizationState>> = {
  accept: "accepted",
  reject: "rejected",
  manual: "pending",
};

/** Answers a request to quote a local object. */
export async function handleQuoteRequest(ctx: InboxHandlerContext, activity: NormalizedActivity): Promise<HandlerOutcome> {
  const ignore = (note: string): HandlerOutcome => ({ kind: "ignored", note });
  if (ctx.local) return ignore("local actors quote without asking");
  const targetUri = activity.object;
  if (targetUri === undefined || !ctx.uris.isLocal(targetUri)) return ignore("the quoted object is not local");
  const target = await ctx.store.objects.get(targetUri);
  if (target === null || !target.local || target.deletedAt !== null) return ignore("the quoted object does not exist");
  const instrument = asArray(activity.raw.instrument)[0];
  const quoteUri = idOf(instrument);
  if (!isHttpUri(quoteUri)) return ignore("QuoteRequest names no quote post as instrument");

  const existing = await ctx.store.interactions.findQuoteAuthorization({ quoteUri, targetUri });
  if (existing !== null) return answerAgain(ctx, { activity, existing });

  // The quote post is taken as embedded only from the requester's own server, else fetched from its origin.
  const { embeddedObject: _quoted, ...request } = activity;
  const carrier: NormalizedActivity = isJsonObject(instrument)
    ? { ...request, object: quoteUri, embeddedObject: instrument }
    : { ...request, object: quoteUri };
  const quote = await incomingObject(ctx, { activity: carrier });
  if (!quote.ok) return quote.outcome;
  const { object } = quote;
  if (object.attributedTo !== activity.actor) return ignore("the quote post is not by the requester");
  if (object.quote !== targetUri) return ignore("the quote post does not quote the requested object");

  const evaluation = await evaluateQuote(ctx, { target, requesterUri: activity.actor });
  if (!evaluation.ok) return ignore(evaluation.message);
  const { author, decision } = evaluation;
  const now = ctx.now().toISOString();
  const authorization: QuoteAuthorizationRecord = {
    uri: newQuoteAuthorizationUri(ctx, { username: author.username }),
    requestUri: activity.id,
    state: STATE_OF_VERDICT[decision.verdict],
    localActorUri: author.uri,
    actorUri: activity.actor,
    quoteUri,
    targetUri,
    // The verified quote post rides along, so a later approval needs no second fetch.
    request: { ...stripHiddenRecipients(activity.raw), instrument: stripHiddenRecipients(object.raw) },
    createdAt: now,
    decidedAt: decision.verdict === "manual" ? null : now,
    revokedAt: null,
  };
  const stored = await ctx.store.objects.get(quoteUri);
  const quotePost = stored ?? (await keptObjectRecord(ctx, { object, activity }));
  if (decision.verdict === "manual") {
    await ctx.store.transaction(async (tx) => {
      await tx.interactions.putQuoteAuthorization(authorization);
      if (stored === null) await tx.objects.put(quotePost);
    });
  } else {
    await answerQuoteRequest(ctx, { authorization, author, ...(stored === null ? { quotePost } : {}) });
  }
  if (stored === null || (!stored.local && stored.deletedAt === null)) {
    await recordObjectInteractions(ctx, { object, kept: quotePost });
  }
  return { kind: "applied", note: decision.message };
}

interface AnswerAgainParams {
  readonly activity: NormalizedActivity;
  readonly existing: QuoteAuthorizationRecord;
}

async function answerAgain(ctx: InboxHandlerContext, params: AnswerAgainParams): Promise<HandlerOutcome> {
  const { activity, existing } = params;
  if (existing.actorUri !== activity.actor) return { kind: "ignored", note: "the quote post belongs to another actor" };
  if (existing.state === "pending") return { kind: "ignored", note: "the request already awaits the owner's approval" };
  const author = await ctx.store.actors.get(existing.localActorUri);
  if (author === null || !author.local || author.deletedAt !== null) return { kind: "ignored", note: "the quoted object's author is gone" };
  // Anything but a standing approval (a rejection, a revoked approval) is answered with a Reject.
  await answerQuoteRequest(ctx, { authorization: existing, author });
  return { kind: "applied", note: `answered a repeated request (${existing.state})` };
}
