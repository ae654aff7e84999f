/**
 * A quote request weighed against the quoted object's policy: looks up what
 * the pure decision needs (the author, follows both ways, a block) and hands
 * it to {@link decideQuote}.
 */
import type { ActorRecord, ObjectRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { resolveInteractionOptions } from "../interactions/options.ts";
import { decideQuote, defaultQuotePolicy, quotePolicyOf, type QuoteDecision } from "./quote-policy.ts";

/** Parameters of {@link evaluateQuote}. */
export interface EvaluateQuoteParams {
  /** The quoted local object. */
  readonly target: ObjectRecord;
  /** Who wants to quote it. */
  readonly requesterUri: string;
}

/** The decision, or why there is nothing to decide. */
export type QuoteEvaluation =
  | { readonly ok: true; readonly author: ActorRecord; readonly decision: QuoteDecision }
  | { readonly ok: false; readonly reason: "notQuotable"; readonly message: string };

/** Decides whether `requesterUri` may quote `target`. */
export async function evaluateQuote(ctx: FederationContext, params: EvaluateQuoteParams): Promise<QuoteEvaluation> {
  const { target, requesterUri } = params;
  if (!target.local || target.deletedAt !== null || target.attributedTo === null) {
    return { ok: false, reason: "notQuotable", message: "only live local objects can be quoted here" };
  }
  const author = await ctx.store.actors.get(target.attributedTo);
  if (author === null || !author.local || author.deletedAt !== null) {
    return { ok: false, reason: "notQuotable", message: "the quoted object's author is gone" };
  }
  const options = resolveInteractionOptions({ options: ctx.interactions }).quotes;
  const policy =
    quotePolicyOf({ document: target.document }) ??
    defaultQuotePolicy({ options, authorUri: author.uri, followersUri: author.followersUri });
  const [requesterFollows, authorFollows, block] = await Promise.all([
    ctx.store.follows.get(requesterUri, author.uri),
    ctx.store.follows.get(author.uri, requesterUri),
    ctx.store.blocks.get(author.uri, requesterUri),
  ]);
  const decision = decideQuote({
    policy,
    requesterUri,
    authorUri: author.uri,
    targetVisibility: target.visibility,
    followersUri: author.followersUri,
    followingUri: author.followingUri,
    requesterFollowsAuthor: requesterFollows?.state === "accepted",
    authorFollowsRequester: authorFollows?.state === "accepted",
    blocked: block !== null,
  });
  return { ok: true, author, decision };
}
