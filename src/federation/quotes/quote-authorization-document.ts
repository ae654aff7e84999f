/**
 * What is served at a QuoteAuthorization's URI: the stamp while the approval
 * stands, a Tombstone once it was revoked, nothing for requests never
 * approved (a pending or rejected request has no stamp to show).
 */
import { buildTombstone } from "../../protocol/activities.ts";
import { isValidUsername } from "../../protocol/uris.ts";
import { AS_CONTEXT } from "../../protocol/vocabulary.ts";
import type { FederationContext } from "../context.ts";
import { quoteAuthorizationUri } from "./quote-uris.ts";
import { buildQuoteAuthorization } from "./quote-vocabulary.ts";

/** Parameters of {@link findQuoteAuthorizationDocument}. */
export interface FindQuoteAuthorizationDocumentParams {
  readonly username: string;
  readonly id: string;
}

/** The document to serve, and how. */
export type QuoteAuthorizationDocumentResult =
  | { readonly kind: "found"; readonly document: Record<string, unknown> }
  | { readonly kind: "gone"; readonly document: Record<string, unknown> }
  | { readonly kind: "missing"; readonly reason: "invalidId" | "unknown" | "notApproved"; readonly message: string };

/** Looks up the authorization a URL names. */
export async function findQuoteAuthorizationDocument(
  ctx: FederationContext,
  params: FindQuoteAuthorizationDocumentParams,
): Promise<QuoteAuthorizationDocumentResult> {
  if (!isValidUsername(params.username) || !/^[A-Za-z0-9_-]{1,100}$/.test(params.id)) {
    return { kind: "missing", reason: "invalidId", message: "no such quote authorization" };
  }
  const uri = quoteAuthorizationUri(ctx, { username: params.username, id: params.id });
  const authorization = await ctx.store.interactions.getQuoteAuthorization(uri);
  if (authorization === null) return { kind: "missing", reason: "unknown", message: "no such quote authorization" };
  if (authorization.state === "revoked") {
    const tombstone = buildTombstone({
      id: uri,
      formerType: "QuoteAuthorization",
      ...(authorization.revokedAt === null ? {} : { deleted: authorization.revokedAt }),
    });
    return { kind: "gone", document: { "@context": AS_CONTEXT, ...tombstone } };
  }
  if (authorization.state !== "accepted") return { kind: "missing", reason: "notApproved", message: "no such quote authorization" };
  const document = buildQuoteAuthorization({
    id: uri,
    attributedTo: authorization.localActorUri,
    interactingObject: authorization.quoteUri,
    interactionTarget: authorization.targetUri,
  });
  return { kind: "found", document };
}
