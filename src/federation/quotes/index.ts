/** Quote posts (FEP-044f): policies, requests and their answers, the owner's decisions. */
export {
  approveQuote,
  listQuoteRequests,
  rejectQuote,
  revokeQuote,
  type ListQuoteRequestsParams,
  type QuoteDecisionParams,
  type QuoteDecisionReason,
  type QuoteDecisionResult,
  type RevokeQuoteReason,
  type RevokeQuoteResult,
} from "./quote-decisions.ts";
export { findQuoteAuthorizationDocument, type QuoteAuthorizationDocumentResult } from "./quote-authorization-document.ts";
export {
  decideQuote,
  defaultQuotePolicy,
  interactionPolicyDocument,
  quotePolicyOf,
  type QuoteDecision,
  type QuotePolicy,
} from "./quote-policy.ts";
export { resolveQuoteOptions, type QuoteApprovalAudience, type QuoteOptions } from "./quote-options.ts";
export { buildQuoteAuthorization, QUOTE_CONTEXT_TERMS, quoteContext } from "./quote-vocabulary.ts";
export { quoteAuthorizationUri, QUOTE_AUTHORIZATIONS_SEGMENT } from "./quote-uris.ts";
