/**
 * Serving objects published under the site's own URLs. A blog post
 * published with its permalink as id lives at a URL the host application
 * answers with HTML; other servers fetch that same URL asking for
 * ActivityStreams JSON. Outpost answers those requests from the store (with
 * 410 and the Tombstone once deleted, and only to addressed readers when the
 * object is not public) and leaves every other request to the site.
 */
import type { FederationContext } from "../federation/context.ts";
import { checkReadAccess } from "../http/object-access.ts";
import { ACTIVITY_JSON, chooseRepresentation, LD_JSON_ACTIVITY_STREAMS, parseAccept } from "../http/negotiation.ts";
import { publicUrl } from "../http/public-url.ts";
import { stripHiddenRecipients } from "../protocol/addressing.ts";
import { AS_CONTEXT } from "../protocol/vocabulary.ts";
import type { ObjectRecord } from "../store/records.ts";

/** Parameters of {@link objectResponse}. */
export interface ObjectResponseParams {
  readonly request: Request;
  /** The object's id; default the request's URL on the configured origin. */
  readonly url?: string;
}

/** Parameters of {@link asksForActivityJson}. */
export interface AsksForActivityJsonParams {
  /** The Accept header, null when absent. */
  readonly accept: string | null;
}

/**
 * Whether a request explicitly asks for ActivityStreams JSON and does not
 * prefer HTML. Stricter than the negotiation of Outpost's own URLs: a site's
 * pages belong to the site, so only a request naming an ActivityStreams
 * media type is taken from it.
 */
export function asksForActivityJson(params: AsksForActivityJsonParams): boolean {
  const { accept } = params;
  if (accept === null) return false;
  const named = parseAccept({ accept }).some(
    (range) =>
      range.q > 0 &&
      range.type === "application" &&
      (range.subtype === "activity+json" ||
        (range.subtype === "ld+json" && (range.params.get("profile")?.split(/\s+/).includes(AS_CONTEXT) ?? false))),
  );
  return named && chooseRepresentation({ accept }) !== "html";
}

/**
 * The ActivityStreams answer for a local object stored under the request's
 * URL, or undefined when the request does not ask for ActivityStreams or no
 * local object has that id (the site answers then).
 */
export async function objectResponse(ctx: FederationContext, params: ObjectResponseParams): Promise<Response | undefined> {
  const { request } = params;
  if (request.method !== "GET" && request.method !== "HEAD") return undefined;
  const accept = request.headers.get("accept");
  if (!asksForActivityJson({ accept })) return undefined;
  const uri = params.url ?? publicUrl({ ctx, request });
  const object = await ctx.store.objects.get(uri);
  if (object === null || !object.local) return undefined;

  const contentType = chooseRepresentation({ accept }) === "ld" ? LD_JSON_ACTIVITY_STREAMS : ACTIVITY_JSON;
  const headers = { "Content-Type": contentType, Vary: "Accept" };
  const body = (document: Record<string, unknown>) => (request.method === "HEAD" ? null : JSON.stringify(document));
  if (object.deletedAt !== null) return new Response(body(served(object)), { status: 410, headers });
  const access = await checkReadAccess({
    ctx,
    request,
    url: publicUrl({ ctx, request }),
    visibility: object.visibility,
    recipients: object.recipients,
    authorUri: object.attributedTo ?? "",
  });
  if (!access.ok) {
    // Whether a private object exists is itself private.
    return new Response(body({ error: "no such object" }), { status: 404, headers: { ...headers, "Content-Type": "application/json" } });
  }
  const isPublic = object.visibility === "public" || object.visibility === "unlisted";
  return new Response(body(served(object)), {
    status: 200,
    headers: isPublic ? headers : { ...headers, "Cache-Control": "private, no-store" },
  });
}

function served(object: ObjectRecord): Record<string, unknown> {
  const document = stripHiddenRecipients(object.document);
  return "@context" in document ? document : { "@context": AS_CONTEXT, ...document };
}
