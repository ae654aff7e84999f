/**
 * Answering a quote request: an Accept whose `result` is the authorization,
 * or a Reject, addressed to the requester and published with the
 * authorization's new state in one transaction, so the stamp is served as
 * soon as the Accept can be read.
 */
import { stripHiddenRecipients } from "../../protocol/addressing.ts";
import type { ActorRecord, ObjectRecord, QuoteAuthorizationRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { newActivityUri } from "../outbox/actions/mint-uris.ts";
import { publishActivity, type PublishResult } from "../outbox/publish.ts";
import { quoteContext } from "./quote-vocabulary.ts";

/** Parameters of {@link answerQuoteRequest}. */
export interface AnswerQuoteRequestParams {
  /** The authorization as it is to be stored (state `accepted` or `rejected`). */
  readonly authorization: QuoteAuthorizationRecord;
  /** The quoted object's author, who answers. */
  readonly author: ActorRecord;
  /** The quote post, stored with the answer when it is not stored yet. */
  readonly quotePost?: ObjectRecord;
}

/** Publishes the Accept or Reject the authorization's state calls for. */
export async function answerQuoteRequest(ctx: FederationContext, params: AnswerQuoteRequestParams): Promise<PublishResult> {
  const { authorization, author } = params;
  const accepted = authorization.state === "accepted";
  const activity: Record<string, unknown> = {
    "@context": quoteContext(),
    id: newActivityUri(ctx, { actor: author }),
    type: accepted ? "Accept" : "Reject",
    actor: author.uri,
    to: [authorization.actorUri],
    object: answeredRequest({ authorization }),
  };
  if (accepted) activity.result = authorization.uri;
  return publishActivity(ctx, {
    actor: author,
    activity,
    extraRecipients: [authorization.actorUri],
    alsoWrite: async (tx) => {
      await tx.interactions.putQuoteAuthorization(authorization);
      if (params.quotePost !== undefined && (await tx.objects.get(params.quotePost.uri)) === null) {
        await tx.objects.put(params.quotePost);
      }
    },
  });
}

/** Parameters of {@link answeredRequest}. */
export interface AnsweredRequestParams {
  readonly authorization: QuoteAuthorizationRecord;
}

/**
 * The QuoteRequest as an answer embeds it: as received, but with the quote
 * post by id only (its content is not ours to republish) and no context of
 * its own.
 */
export function answeredRequest(params: AnsweredRequestParams): Record<string, unknown> {
  const { authorization } = params;
  const { "@context": _context, ...request } = stripHiddenRecipients(authorization.request);
  return {
    ...request,
    id: authorization.requestUri,
    type: "QuoteRequest",
    actor: authorization.actorUri,
    object: authorization.targetUri,
    instrument: authorization.quoteUri,
  };
}
