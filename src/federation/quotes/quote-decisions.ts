/**
 * The owner's side of quote requests: list what waits, approve or reject a
 * held request, and revoke an approval given earlier (a Delete of the
 * QuoteAuthorization, after which the stamp is served as gone and the quote
 * leaves the counts).
 */
import { buildDelete } from "../../protocol/activities.ts";
import { normalizeObject } from "../../protocol/normalize.ts";
import type { ActorRecord, Page, PageRequest, QuoteAuthorizationRecord, QuoteAuthorizationState } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { recordObjectInteractions } from "../interactions/record-object-interactions.ts";
import { withdrawInteractions } from "../interactions/record-interaction.ts";
import { refuse, type ActionFailure, type Published } from "../outbox/actions/action-result.ts";
import { guardActor, type ActorGuardReason } from "../outbox/actions/actor-guard.ts";
import { newActivityUri } from "../outbox/actions/mint-uris.ts";
import { publishActivity } from "../outbox/publish.ts";
import { answerQuoteRequest } from "./answer-quote-request.ts";

/** Parameters of {@link approveQuote}, {@link rejectQuote} and {@link revokeQuote}. */
export interface QuoteDecisionParams {
  /** The local actor whose object was quoted. */
  readonly actor: ActorRecord;
  /** The authorization's URI, as listed by {@link listQuoteRequests} or given to the hook. */
  readonly authorizationUri: string;
}

/** Why a request could not be approved or rejected. */
export type QuoteDecisionReason = ActorGuardReason | "notFound" | "notPending" | "targetGone";

/** Why an approval could not be revoked. */
export type RevokeQuoteReason = ActorGuardReason | "notFound" | "notAccepted";

/** The Accept or Reject sent, or why not. */
export type QuoteDecisionResult =
  | (Published & { readonly authorizationUri: string })
  | ActionFailure<QuoteDecisionReason>;

/** The Delete sent, or why not. */
export type RevokeQuoteResult = (Published & { readonly authorizationUri: string }) | ActionFailure<RevokeQuoteReason>;

/** Approves a held quote request: the requester gets an Accept with the QuoteAuthorization. */
export async function approveQuote(ctx: FederationContext, params: QuoteDecisionParams): Promise<QuoteDecisionResult> {
  return decide(ctx, params, "accepted");
}

/** Rejects a held quote request: the requester gets a Reject. */
export async function rejectQuote(ctx: FederationContext, params: QuoteDecisionParams): Promise<QuoteDecisionResult> {
  return decide(ctx, params, "rejected");
}

async function decide(
  ctx: FederationContext,
  params: QuoteDecisionParams,
  state: "accepted" | "rejected",
): Promise<QuoteDecisionResult> {
  const found = await findOwn(ctx, params);
  if (!found.ok) return found;
  const { authorization } = found;
  if (authorization.state !== "pending") {
    return refuse({ reason: "notPending", message: `the request was already answered (${authorization.state})` });
  }
  const target = await ctx.store.objects.get(authorization.targetUri);
  if (state === "accepted" && (target === null || target.deletedAt !== null)) {
    return refuse({ reason: "targetGone", message: "the quoted object has been deleted" });
  }
  const decided: QuoteAuthorizationRecord = { ...authorization, state, decidedAt: ctx.now().toISOString() };
  const published = await answerQuoteRequest(ctx, { authorization: decided, author: params.actor });
  if (state === "accepted") await recordQuotePost(ctx, { quoteUri: authorization.quoteUri });
  return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries, authorizationUri: authorization.uri };
}

/**
 * Revokes an approval: a Delete of the QuoteAuthorization goes to the quote's
 * author (whose server must tell the quote's audience) and the actor's
 * followers; the quote no longer counts here.
 */
export async function revokeQuote(ctx: FederationContext, params: QuoteDecisionParams): Promise<RevokeQuoteResult> {
  const found = await findOwn(ctx, params);
  if (!found.ok) return found;
  const { authorization } = found;
  if (authorization.state !== "accepted") {
    return refuse({ reason: "notAccepted", message: `only an accepted quote can be revoked, not a ${authorization.state} one` });
  }
  const { actor } = params;
  const now = ctx.now().toISOString();
  const revoked: QuoteAuthorizationRecord = { ...authorization, state: "revoked", revokedAt: now };
  // Neither the quote nor the quoted object is embedded: the Delete must not leak either.
  const activity = buildDelete({
    id: newActivityUri(ctx, { actor }),
    actor: actor.uri,
    object: authorization.uri,
    to: [authorization.actorUri],
    cc: actor.followersUri === null ? [] : [actor.followersUri],
  });
  const published = await publishActivity(ctx, {
    actor,
    activity,
    extraRecipients: [authorization.actorUri],
    alsoWrite: (tx) => tx.interactions.putQuoteAuthorization(revoked),
  });
  await withdrawInteractions(ctx, { uri: authorization.quoteUri, kinds: ["quote"] });
  return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries, authorizationUri: authorization.uri };
}

/** Parameters of {@link listQuoteRequests}. */
export interface ListQuoteRequestsParams {
  readonly actor: ActorRecord;
  /** Default: pending only. */
  readonly states?: readonly QuoteAuthorizationState[];
  /** Default: the newest 20. */
  readonly page?: PageRequest;
}

/** A local actor's quote requests, newest first. */
export async function listQuoteRequests(ctx: FederationContext, params: ListQuoteRequestsParams): Promise<Page<QuoteAuthorizationRecord>> {
  return ctx.store.interactions.listQuoteAuthorizations(
    params.actor.uri,
    { states: params.states ?? ["pending"] },
    params.page ?? { limit: 20 },
  );
}

type Found = { readonly ok: true; readonly authorization: QuoteAuthorizationRecord } | ActionFailure<ActorGuardReason | "notFound">;

async function findOwn(ctx: FederationContext, params: QuoteDecisionParams): Promise<Found> {
  const guarded = guardActor({ actor: params.actor });
  if (guarded !== null) return guarded;
  const authorization = await ctx.store.interactions.getQuoteAuthorization(params.authorizationUri);
  // Another actor's request is reported as missing, not as someone else's.
  if (authorization === null || authorization.localActorUri !== params.actor.uri) {
    return refuse({ reason: "notFound", message: `no quote request ${params.authorizationUri} for ${params.actor.uri}` });
  }
  return { ok: true, authorization };
}

/** Records the quote post of a newly approved request, now that it may be shown. */
async function recordQuotePost(ctx: FederationContext, params: { readonly quoteUri: string }): Promise<void> {
  const kept = await ctx.store.objects.get(params.quoteUri);
  if (kept === null || kept.local || kept.deletedAt !== null) return;
  const normalized = normalizeObject(kept.document);
  if (!normalized.ok || normalized.value.attributedTo === undefined) return;
  await recordObjectInteractions(ctx, { object: { ...normalized.value, attributedTo: normalized.value.attributedTo }, kept });
}
