/**
 * Quote requests of a site's actors, for a host application to decide by
 * hand (when the quote policy asks for manual approval) and to revoke later:
 * the library face of src/federation/quotes, by username.
 */
import { getLocalActor } from "../federation/actors/local-actors.ts";
import type { FederationContext } from "../federation/context.ts";
import {
  approveQuote,
  listQuoteRequests,
  rejectQuote,
  revokeQuote,
  type QuoteDecisionResult,
  type RevokeQuoteResult,
} from "../federation/quotes/index.ts";
import type { QuoteAuthorizationRecord } from "../store/records.ts";

/** A refusal for a username that names no local actor. */
export interface UnknownActor {
  readonly ok: false;
  readonly reason: "unknownActor";
  readonly message: string;
}

/** Quote requests and the owner's answers. */
export interface QuoteApproval {
  /** Requests still waiting for an answer, newest first. */
  pending(username: string, options?: { readonly limit?: number }): Promise<QuoteAuthorizationRecord[]>;
  /** Accepts a request: the quoting server gets an Accept with the authorization. */
  approve(username: string, authorizationUri: string): Promise<QuoteDecisionResult | UnknownActor>;
  /** Rejects a request. */
  reject(username: string, authorizationUri: string): Promise<QuoteDecisionResult | UnknownActor>;
  /** Withdraws an authorization given before (a Delete of it is sent). */
  revoke(username: string, authorizationUri: string): Promise<RevokeQuoteResult | UnknownActor>;
}

/** The quote approval API of one Outpost. */
export function createQuoteApproval(ctx: FederationContext): QuoteApproval {
  const withActor = async <T>(username: string, fn: (actor: NonNullable<Awaited<ReturnType<typeof getLocalActor>>>) => Promise<T>) => {
    const actor = await getLocalActor(ctx, username);
    if (actor === null) {
      return { ok: false, reason: "unknownActor", message: `there is no local actor "${username}"` } as const;
    }
    return fn(actor);
  };
  return {
    async pending(username, options) {
      const actor = await getLocalActor(ctx, username);
      if (actor === null) return [];
      const page = await listQuoteRequests(ctx, { actor, page: { limit: Math.max(1, options?.limit ?? 20) } });
      return page.items;
    },
    approve: (username, authorizationUri) => withActor(username, (actor) => approveQuote(ctx, { actor, authorizationUri })),
    reject: (username, authorizationUri) => withActor(username, (actor) => rejectQuote(ctx, { actor, authorizationUri })),
    revoke: (username, authorizationUri) => withActor(username, (actor) => revokeQuote(ctx, { actor, authorizationUri })),
  };
}
