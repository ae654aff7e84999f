/**
 * Fetching one ActivityStreams document from another server. The document is
 * trusted only as far as its origin: its `id` must live on the origin it was
 * finally served from, or any server could publish documents in another
 * server's name.
 */
import { idOf, isJsonObject } from "../../protocol/json-ld.ts";
import { instanceActor } from "../actors/instance-actor.ts";
import type { FederationContext } from "../context.ts";
import { signOutgoingRequest } from "../signing/sign-outgoing.ts";
import { safeFetch, type SafeFetchFailureReason, type SafeFetchHop } from "./safe-fetch.ts";

/** What ActivityPub servers answer with their JSON-LD documents. */
export const ACTIVITY_ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"';

const ACCEPTED_MEDIA_TYPES: ReadonlySet<string> = new Set([
  "application/activity+json",
  "application/ld+json",
  "application/json",
]);

/** Options of {@link fetchDocument}. */
export interface FetchDocumentOptions {
  /** Sign the GET as the instance actor (default), as servers in secure mode require. */
  readonly signed?: boolean;
}

/** Why no document was obtained. */
export type DocumentFailureReason =
  | "gone"
  | "notFound"
  | "httpError"
  | "badContentType"
  | "notJson"
  | "idMismatch"
  | SafeFetchFailureReason;

/** A fetched document and the URL it was finally served from, or why there is none. */
export type DocumentResult =
  | { ok: true; document: Record<string, unknown>; url: string }
  | { ok: false; reason: DocumentFailureReason; status?: number; message: string };

/** Fetches an ActivityStreams document, checking its media type and that its id belongs to the serving origin. */
export async function fetchDocument(
  ctx: FederationContext,
  url: string,
  options: FetchDocumentOptions = {},
): Promise<DocumentResult> {
  const signed = options.signed ?? true;
  const sign = signed ? await instanceSigner(ctx) : undefined;
  const response = await safeFetch(ctx, url, { headers: new Headers({ accept: ACTIVITY_ACCEPT }), sign });
  if (!response.ok) return response;

  const { status } = response;
  if (status === 410) return { ok: false, reason: "gone", status, message: `${url} is gone` };
  if (status === 404) return { ok: false, reason: "notFound", status, message: `${url} was not found` };
  if (status < 200 || status > 299) {
    return { ok: false, reason: "httpError", status, message: `${url} answered with HTTP ${status}` };
  }

  const contentType = response.headers.get("content-type") ?? "";
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  if (!ACCEPTED_MEDIA_TYPES.has(mediaType)) {
    return {
      ok: false,
      reason: "badContentType",
      status,
      message: `${url} is ${contentType === "" ? "of no declared type" : contentType}, not ActivityStreams JSON`,
    };
  }

  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(response.body));
  } catch {
    return { ok: false, reason: "notJson", status, message: `${url} did not return valid JSON` };
  }
  if (!isJsonObject(document)) {
    return { ok: false, reason: "notJson", status, message: `${url} did not return a JSON object` };
  }

  const id = idOf(document);
  if (id === undefined) {
    return { ok: false, reason: "idMismatch", status, message: `The document at ${response.url} has no id` };
  }
  if (!sameOriginAs(id, response.url)) {
    return {
      ok: false,
      reason: "idMismatch",
      status,
      message: `The document at ${response.url} claims the id ${id}, which belongs to another origin`,
    };
  }
  return { ok: true, document, url: response.url };
}

/** Signs each hop of a GET as the instance actor: `(request-target) host date`, draft-cavage. */
async function instanceSigner(ctx: FederationContext): Promise<(hop: SafeFetchHop) => Promise<Headers>> {
  const { key } = await instanceActor(ctx);
  const privateKey = key.privateKeyPem;
  if (privateKey === null) throw new Error("The instance actor has no private key");
  return (hop) =>
    signOutgoingRequest({
      method: hop.method,
      url: hop.url,
      headers: hop.headers,
      keyId: key.keyId,
      privateKey,
      now: ctx.now(),
      scheme: "draft-cavage",
    });
}

function sameOriginAs(id: string, url: string): boolean {
  try {
    const a = new URL(id);
    const b = new URL(url);
    return (a.protocol === "https:" || a.protocol === "http:") && a.origin === b.origin;
  } catch {
    return false;
  }
}
