/**
 * The FEP-044f terms: the `QuoteRequest` activity, the `QuoteAuthorization`
 * stamp and its `interactingObject`/`interactionTarget`, and the
 * `interactionPolicy.canQuote` lists borrowed from GoToSocial's interaction
 * policies, with the JSON-LD context that defines them.
 */
import { AS_CONTEXT, type JsonLdContext } from "../../protocol/vocabulary.ts";

/** The FEP's namespace. */
export const FEP_044F = "https://w3id.org/fep/044f#";
/** GoToSocial's namespace, where the interaction policy terms live. */
export const GTS_NAMESPACE = "https://gotosocial.org/ns#";

/** Context terms of quote requests, stamps and policies. */
export const QUOTE_CONTEXT_TERMS: Readonly<Record<string, unknown>> = {
  QuoteRequest: `${FEP_044F}QuoteRequest`,
  QuoteAuthorization: `${FEP_044F}QuoteAuthorization`,
  quote: { "@id": `${FEP_044F}quote`, "@type": "@id" },
  quoteAuthorization: { "@id": `${FEP_044F}quoteAuthorization`, "@type": "@id" },
  gts: GTS_NAMESPACE,
  interactionPolicy: { "@id": "gts:interactionPolicy", "@type": "@id" },
  canQuote: { "@id": "gts:canQuote", "@type": "@id" },
  automaticApproval: { "@id": "gts:automaticApproval", "@type": "@id" },
  manualApproval: { "@id": "gts:manualApproval", "@type": "@id" },
  interactingObject: { "@id": "gts:interactingObject", "@type": "@id" },
  interactionTarget: { "@id": "gts:interactionTarget", "@type": "@id" },
};

/** The context of documents that use the quote terms. */
export function quoteContext(): JsonLdContext {
  return [AS_CONTEXT, { ...QUOTE_CONTEXT_TERMS }];
}

/** Parameters of {@link buildQuoteAuthorization}. */
export interface BuildQuoteAuthorizationParams {
  readonly id: string;
  /** The quoted object's author. */
  readonly attributedTo: string;
  /** The quote post; never embedded, so the stamp cannot leak it. */
  readonly interactingObject: string;
  /** The quoted object, by id. */
  readonly interactionTarget: string;
}

/** The stamp proving a quote was approved. */
export function buildQuoteAuthorization(params: BuildQuoteAuthorizationParams): Record<string, unknown> {
  return {
    "@context": quoteContext(),
    id: params.id,
    type: "QuoteAuthorization",
    attributedTo: params.attributedTo,
    interactingObject: params.interactingObject,
    interactionTarget: params.interactionTarget,
  };
}
