/**
 * Collections a client makes: a Create of a Collection or OrderedCollection
 * makes an empty collection of the actor's, and Add/Remove change what is in
 * it (the items live in the store's collection table, like `featured`, not
 * in the document). Together with `featured` these are the collections an
 * actor may change through its outbox.
 */
import type { ActorRecord, ObjectRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";

const COLLECTION_TYPES: ReadonlySet<string> = new Set(["Collection", "OrderedCollection"]);

/** Whether a type is one a client may create as a collection of its own. */
export function isCollectionType(type: string): boolean {
  return COLLECTION_TYPES.has(type);
}

/** Parameters of {@link withoutCollectionItems}. */
export interface WithoutCollectionItemsParams {
  readonly object: Record<string, unknown>;
}

/** The document without items or paging, which the server keeps itself. */
export function withoutCollectionItems(params: WithoutCollectionItemsParams): Record<string, unknown> {
  const { items: _items, orderedItems: _ordered, totalItems: _total, first: _first, last: _last, current: _current, ...rest } =
    params.object;
  return rest;
}

/** A collection an actor may add to or remove from. */
export type OwnCollection =
  | { readonly kind: "featured"; readonly uri: string }
  | { readonly kind: "client"; readonly uri: string; readonly object: ObjectRecord };

/** Parameters of {@link findOwnCollection}. */
export interface FindOwnCollectionParams {
  readonly actor: ActorRecord;
  readonly uri: string;
}

/** The collection, or why the actor may not change it. */
export type FindOwnCollectionResult =
  | { readonly ok: true; readonly collection: OwnCollection }
  | { readonly ok: false; readonly reason: "notFound" | "notYours" | "gone"; readonly message: string };

/** Finds a collection the actor owns: its featured collection or one it created. */
export async function findOwnCollection(ctx: FederationContext, params: FindOwnCollectionParams): Promise<FindOwnCollectionResult> {
  const { actor, uri } = params;
  const featured = actor.featuredUri ?? ctx.uris.featured(actor.username);
  if (uri === featured) return { ok: true, collection: { kind: "featured", uri } };
  const object = ctx.uris.isLocal(uri) ? await ctx.store.objects.get(uri) : null;
  if (object === null || !isCollectionType(object.type)) {
    return { ok: false, reason: "notFound", message: `${uri} is not a collection of this server that the outbox can change` };
  }
  if (object.attributedTo !== actor.uri) return { ok: false, reason: "notYours", message: `${uri} belongs to another actor` };
  if (object.deletedAt !== null) return { ok: false, reason: "gone", message: `${uri} has been deleted` };
  return { ok: true, collection: { kind: "client", uri, object } };
}
