/**
 * Who may quote an object. An object states it in
 * `interactionPolicy.canQuote` (lists of actors and collections approved
 * automatically or held for review); an object that states nothing gets the
 * configured default. Everything here is a pure function of what the caller
 * looked up, so each rule is tested on its own.
 */
import { idsOf, isJsonObject } from "../../protocol/json-ld.ts";
import { isPublicAddress, PUBLIC_COLLECTION } from "../../protocol/vocabulary.ts";
import type { Visibility } from "../../store/records.ts";
import type { QuoteApprovalAudience, ResolvedQuoteOptions } from "./quote-options.ts";

/** An object's quote policy: actor and collection ids. */
export interface QuotePolicy {
  readonly automaticApproval: readonly string[];
  readonly manualApproval: readonly string[];
}

/** Parameters of {@link quotePolicyOf}. */
export interface QuotePolicyOfParams {
  readonly document: Record<string, unknown>;
}

/** The policy an object's document states, or null when it states none. */
export function quotePolicyOf(params: QuotePolicyOfParams): QuotePolicy | null {
  const policy = params.document.interactionPolicy;
  if (!isJsonObject(policy) || !isJsonObject(policy.canQuote)) return null;
  return {
    automaticApproval: idsOf(policy.canQuote.automaticApproval),
    manualApproval: idsOf(policy.canQuote.manualApproval),
  };
}

/** Parameters of {@link defaultQuotePolicy}. */
export interface DefaultQuotePolicyParams {
  readonly options: ResolvedQuoteOptions;
  readonly authorUri: string;
  readonly followersUri: string | null;
}

/** The policy of an object that states none, from the configured audiences. */
export function defaultQuotePolicy(params: DefaultQuotePolicyParams): QuotePolicy {
  const audience = (value: QuoteApprovalAudience): string[] => {
    if (value === "public") return [PUBLIC_COLLECTION];
    if (value === "followers") return params.followersUri === null ? [] : [params.followersUri];
    return [];
  };
  const automatic = audience(params.options.automaticApproval);
  // An empty list reads as "absent" once canonicalized; the author alone says "nobody else".
  return {
    automaticApproval: automatic.length === 0 ? [params.authorUri] : automatic,
    manualApproval: audience(params.options.manualApproval),
  };
}

/** Parameters of {@link interactionPolicyDocument}. */
export interface InteractionPolicyDocumentParams {
  readonly policy: QuotePolicy;
}

/** The `interactionPolicy` value to put on an object so others know whether they may quote it. */
export function interactionPolicyDocument(params: InteractionPolicyDocumentParams): Record<string, unknown> {
  return {
    canQuote: {
      automaticApproval: [...params.policy.automaticApproval],
      manualApproval: [...params.policy.manualApproval],
    },
  };
}

/** Why a quote was decided so. */
export type QuoteDecisionReason =
  | "ownObject"
  | "automaticApproval"
  | "manualApproval"
  | "notPublic"
  | "blocked"
  | "notAllowed";

/** A request's fate: approved now, held for the owner, or refused. */
export type QuoteDecision =
  | { readonly verdict: "accept"; readonly reason: "ownObject" | "automaticApproval"; readonly message: string }
  | { readonly verdict: "manual"; readonly reason: "manualApproval"; readonly message: string }
  | { readonly verdict: "reject"; readonly reason: "notPublic" | "blocked" | "notAllowed"; readonly message: string };

/** Parameters of {@link decideQuote}. */
export interface DecideQuoteParams {
  readonly policy: QuotePolicy;
  readonly requesterUri: string;
  readonly authorUri: string;
  readonly targetVisibility: Visibility;
  readonly followersUri: string | null;
  readonly followingUri: string | null;
  /** The requester follows the author (accepted). */
  readonly requesterFollowsAuthor: boolean;
  /** The author follows the requester (accepted). */
  readonly authorFollowsRequester: boolean;
  /** The author blocks the requester. */
  readonly blocked: boolean;
}

/**
 * Decides a quote request. Only public and unlisted objects can be quoted:
 * a quote would show a followers-only post to people it was not meant for.
 */
export function decideQuote(params: DecideQuoteParams): QuoteDecision {
  if (params.requesterUri === params.authorUri) {
    return { verdict: "accept", reason: "ownObject", message: "authors may always quote themselves" };
  }
  if (params.blocked) return { verdict: "reject", reason: "blocked", message: "the author blocks the requester" };
  if (params.targetVisibility !== "public" && params.targetVisibility !== "unlisted") {
    return { verdict: "reject", reason: "notPublic", message: `a ${params.targetVisibility} post cannot be quoted` };
  }
  if (matches(params, params.policy.automaticApproval)) {
    return { verdict: "accept", reason: "automaticApproval", message: "the policy approves the requester automatically" };
  }
  if (matches(params, params.policy.manualApproval)) {
    return { verdict: "manual", reason: "manualApproval", message: "the policy holds the request for the author to decide" };
  }
  return { verdict: "reject", reason: "notAllowed", message: "the policy does not allow the requester to quote" };
}

function matches(params: DecideQuoteParams, list: readonly string[]): boolean {
  return list.some(
    (entry) =>
      isPublicAddress(entry) ||
      entry === params.requesterUri ||
      (params.followersUri !== null && entry === params.followersUri && params.requesterFollowsAuthor) ||
      (params.followingUri !== null && entry === params.followingUri && params.authorFollowsRequester),
  );
}
