/**
 * The `proxyUrl` endpoint's logic: a client that cannot sign requests asks
 * this server to fetch a remote object for it. The fetch is signed as the
 * instance actor and goes through the safe fetch (no private addresses,
 * bounded size and time), like every fetch of this server.
 */
import { isHttpUri } from "../../protocol/json-ld.ts";
import type { FederationContext } from "../context.ts";
import { fetchDocument } from "../fetch/fetch-document.ts";

/** Parameters of {@link proxyObject}. */
export interface ProxyObjectParams {
  readonly id: string | undefined;
}

/** The document, or why not with the status to answer. */
export type ProxyObjectResult =
  | { readonly ok: true; readonly document: Record<string, unknown> }
  | { readonly ok: false; readonly reason: string; readonly message: string; readonly status: 400 | 404 | 410 | 502 };

/** Fetches a remote object on a client's behalf. */
export async function proxyObject(ctx: FederationContext, params: ProxyObjectParams): Promise<ProxyObjectResult> {
  const { id } = params;
  if (id === undefined || !isHttpUri(id) || id.length > 2048) {
    return { ok: false, reason: "invalidId", message: "id must be an http(s) URI", status: 400 };
  }
  if (ctx.uris.isLocal(id)) {
    return { ok: false, reason: "localId", message: "this server's own objects are read at their ids directly", status: 400 };
  }
  const fetched = await fetchDocument(ctx, id);
  if (fetched.ok) return { ok: true, document: fetched.document };
  const status = fetched.reason === "notFound" ? 404 : fetched.reason === "gone" ? 410 : fetched.reason === "invalidUrl" || fetched.reason === "blockedAddress" ? 400 : 502;
  return { ok: false, reason: fetched.reason, message: fetched.message, status };
}
