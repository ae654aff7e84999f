/**
 * Who may read a non-public object. Public and unlisted objects are for
 * anyone. Followers-only and direct ones are served only to a request signed
 * by an actor they were addressed to, or (followers-only) by an accepted
 * follower of the author. Everyone else is told nothing exists, so that
 * private posts cannot even be probed for.
 */
import { resolveKey } from "../federation/actors/actor-resolver.ts";
import type { FederationContext } from "../federation/context.ts";
import { verifyRequest } from "../crypto/verify-request.ts";
import type { Visibility } from "../store/records.ts";

/** Parameters of {@link checkReadAccess}. */
export interface CheckReadAccessParams {
  readonly ctx: FederationContext;
  readonly request: Request;
  /** The public URL of the request, which a signature covers. */
  readonly url: string;
  readonly visibility: Visibility;
  /** Everyone the object was addressed to, blind recipients included. */
  readonly recipients: readonly string[];
  /** The local actor who wrote the object. */
  readonly authorUri: string;
}

/** Why a reader was refused. */
export type ReadAccessFailureReason = "unsigned" | "badSignature" | "keyUnavailable" | "blocked" | "notAddressed";

/** Whether the request may read the object, and as whom. */
export type ReadAccessResult =
  | { readonly ok: true; readonly reader: string | null }
  | { readonly ok: false; readonly reason: ReadAccessFailureReason; readonly message: string };

function isSigned(headers: Headers): boolean {
  return (
    headers.has("signature") ||
    headers.has("signature-input") ||
    (headers.get("authorization")?.toLowerCase().startsWith("signature ") ?? false)
  );
}

/** Decides whether a request may read an object of the given addressing. */
export async function checkReadAccess(params: CheckReadAccessParams): Promise<ReadAccessResult> {
  const { ctx } = params;
  if (params.visibility === "public" || params.visibility === "unlisted") return { ok: true, reader: null };
  const headers = params.request.headers;
  if (!isSigned(headers)) return { ok: false, reason: "unsigned", message: "the object is not public" };
  let verified: Awaited<ReturnType<typeof verifyRequest>>;
  try {
    verified = await verifyRequest({
      method: params.request.method,
      url: params.url,
      headers,
      body: null,
      now: ctx.now(),
      maxPastSeconds: ctx.config.signatureMaxPastSeconds,
      maxFutureSeconds: ctx.config.signatureMaxFutureSeconds,
      resolveKey: (keyId, options) => resolveKey(ctx, keyId, options),
    });
  } catch (error) {
    ctx.logger.debug({ err: error }, "signing key of a fetch could not be resolved");
    return { ok: false, reason: "keyUnavailable", message: "the signing key could not be fetched" };
  }
  if (!verified.ok) return { ok: false, reason: "badSignature", message: verified.message };
  const reader = verified.ownerUri;
  if ((await ctx.store.blocks.get(params.authorUri, reader)) !== null) {
    return { ok: false, reason: "blocked", message: "the author blocks the reader" };
  }
  if (params.recipients.includes(reader)) return { ok: true, reader };
  if (params.visibility === "followers") {
    const follow = await ctx.store.follows.get(reader, params.authorUri);
    if (follow !== null && follow.state === "accepted") return { ok: true, reader };
  }
  return { ok: false, reason: "notAddressed", message: "the reader is not an addressee of the object" };
}
