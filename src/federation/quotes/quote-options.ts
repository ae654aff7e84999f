/**
 * How quote requests (FEP-044f) are answered for local objects that state no
 * `interactionPolicy.canQuote` of their own.
 */

/** Who an approval list stands for: anyone, the author's followers, or nobody but the author. */
export type QuoteApprovalAudience = "public" | "followers" | "nobody";

/** Quote settings; every field has a default. */
export interface QuoteOptions {
  /** Who is approved at once. Default "public": anyone may quote a public or unlisted object. */
  readonly automaticApproval?: QuoteApprovalAudience;
  /**
   * Who is held for the owner to approve or reject (approveQuote,
   * rejectQuote). Default "nobody": whoever is not approved automatically is
   * rejected.
   */
  readonly manualApproval?: QuoteApprovalAudience;
}

/** {@link QuoteOptions} with the defaults filled in. */
export interface ResolvedQuoteOptions {
  readonly automaticApproval: QuoteApprovalAudience;
  readonly manualApproval: QuoteApprovalAudience;
}

/** Parameters of {@link resolveQuoteOptions}. */
export interface ResolveQuoteOptionsParams {
  readonly options?: QuoteOptions;
}

/** Fills in the defaults. */
export function resolveQuoteOptions(params: ResolveQuoteOptionsParams): ResolvedQuoteOptions {
  return {
    automaticApproval: params.options?.automaticApproval ?? "public",
    manualApproval: params.options?.manualApproval ?? "nobody",
  };
}
