/**
 * Finds the post a verb acts on (the one liked, boosted or replied to): from
 * the store when this server already has it, else fetched from its server.
 * Only what the verbs need comes back: who wrote it and whom it addressed.
 */
import { visibilityOf, type Visibility } from "../../../protocol/addressing.ts";
import { sameOrigin } from "../../../protocol/json-ld.ts";
import { normalizeObject } from "../../../protocol/normalize.ts";
import { addressList } from "../../../protocol/normalize-helpers.ts";
import type { FederationContext } from "../../context.ts";
import { fetchDocument } from "../../fetch/fetch-document.ts";
import { refuse, type ActionFailure } from "./action-result.ts";

/** What the verbs need to know about a post. */
export interface FoundObject {
  /** The canonical id (a fetched post may have been named by its web page URL). */
  readonly uri: string;
  readonly type: string;
  /** The author's actor URI. */
  readonly attributedTo: string;
  readonly to: string[];
  readonly cc: string[];
  readonly visibility: Visibility;
  readonly local: boolean;
}

/** Why there is no post to act on. */
export type FindObjectReason = "objectNotFound" | "objectDeleted";

/** The post, or why there is none. */
export type FindObjectResult = { ok: true; object: FoundObject } | ActionFailure<FindObjectReason>;

/** Parameters of {@link findObject}. */
export interface FindObjectParams {
  readonly uri: string;
}

/** Looks a post up in the store, then on its server. */
export async function findObject(ctx: FederationContext, params: FindObjectParams): Promise<FindObjectResult> {
  const { uri } = params;
  const stored = await ctx.store.objects.get(uri);
  if (stored !== null) {
    if (stored.deletedAt !== null) return refuse({ reason: "objectDeleted", message: `${uri} has been deleted` });
    const attributedTo = stored.attributedTo;
    if (attributedTo === null) return refuse({ reason: "objectNotFound", message: `${uri} has no author` });
    return {
      ok: true,
      object: {
        uri: stored.uri,
        type: stored.type,
        attributedTo,
        to: addressList(stored.document.to),
        cc: addressList(stored.document.cc),
        visibility: stored.visibility,
        local: stored.local,
      },
    };
  }
  // Our own posts are all in the store; asking ourselves over the network cannot find more.
  if (ctx.uris.isLocal(uri)) return refuse({ reason: "objectNotFound", message: `there is no post ${uri} on this server` });

  const fetched = await fetchDocument(ctx, uri);
  if (!fetched.ok) {
    const reason = fetched.reason === "gone" ? "objectDeleted" : "objectNotFound";
    return refuse({ reason, message: fetched.message });
  }
  const normalized = normalizeObject(fetched.document);
  if (!normalized.ok) return refuse({ reason: "objectNotFound", message: `${uri} is not a post: ${normalized.message}` });
  const object = normalized.value;
  if (object.type === "Tombstone") return refuse({ reason: "objectDeleted", message: `${uri} has been deleted` });
  // A server may only speak for its own users: an author elsewhere would let it put words in their mouth.
  if (object.attributedTo === undefined || !sameOrigin(object.attributedTo, object.id)) {
    return refuse({ reason: "objectNotFound", message: `${uri} has no author on its own server` });
  }
  const author = await ctx.store.actors.get(object.attributedTo);
  const followersUri = author?.followersUri ?? undefined;
  return {
    ok: true,
    object: {
      uri: object.id,
      type: object.type,
      attributedTo: object.attributedTo,
      to: object.to,
      cc: object.cc,
      visibility: visibilityOf(followersUri === undefined ? { to: object.to, cc: object.cc } : { to: object.to, cc: object.cc, followersUri }),
      local: false,
    },
  };
}
