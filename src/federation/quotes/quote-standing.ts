/**
 * Whether a quote of a local object may be shown. A quote answered through a
 * QuoteRequest stands as it was answered (accepted, held, rejected, revoked);
 * a quote from software that never asks is shown only when the object's
 * policy would have approved it at once.
 */
import type { ObjectRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { evaluateQuote } from "./quote-evaluation.ts";

/** Shown, awaiting the owner, or not to be shown. */
export type QuoteStanding = "approved" | "pending" | "unapproved";

/** Parameters of {@link quoteStanding}. */
export interface QuoteStandingParams {
  readonly quoteUri: string;
  /** The quoted local object. */
  readonly target: ObjectRecord;
  /** The quote post's author. */
  readonly actorUri: string;
}

/** The standing of one quote post of one local object. */
export async function quoteStanding(ctx: FederationContext, params: QuoteStandingParams): Promise<QuoteStanding> {
  const authorization = await ctx.store.interactions.findQuoteAuthorization({
    quoteUri: params.quoteUri,
    targetUri: params.target.uri,
  });
  if (authorization !== null && authorization.actorUri === params.actorUri) {
    if (authorization.state === "accepted") return "approved";
    if (authorization.state === "pending") return "pending";
    return "unapproved";
  }
  const evaluation = await evaluateQuote(ctx, { target: params.target, requesterUri: params.actorUri });
  return evaluation.ok && evaluation.decision.verdict === "accept" ? "approved" : "unapproved";
}
