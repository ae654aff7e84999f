import { isJsonObject } from "./json-ld.ts";
import { AS_CONTEXT } from "./vocabulary.ts";

/**
 * Moves the `@context` of embedded items up to the collection: a context
 * nested in every item is legal JSON-LD but heavy, and some consumers only
 * read the top-level one. The result is the union of every context used
 * (strings in order of first use, term definitions merged into one object).
 */
export function hoistContexts(items: readonly unknown[]): { context: unknown; items: unknown[] } {
  const urls: unknown[] = [AS_CONTEXT];
  const terms: Record<string, unknown> = {};
  const hoisted = items.map((item) => {
    if (!isJsonObject(item) || !("@context" in item)) return item;
    const { "@context": context, ...rest } = item;
    for (const entry of Array.isArray(context) ? context : [context]) {
      if (isJsonObject(entry)) Object.assign(terms, entry);
      else if (!urls.includes(entry)) urls.push(entry);
    }
    return rest;
  });
  const context = Object.keys(terms).length > 0 ? [...urls, terms] : urls.length === 1 ? AS_CONTEXT : urls;
  return { context, items: hoisted };
}

/** An OrderedCollection's summary, optionally with its items inline. */
export interface OrderedCollectionParams {
  readonly id: string;
  readonly totalItems: number;
  readonly first?: string;
  readonly last?: string;
  readonly orderedItems?: readonly unknown[];
}

/** An OrderedCollection (outbox, followers, featured, ...). */
export function buildOrderedCollection(params: OrderedCollectionParams): Record<string, unknown> {
  const { context, items } = hoistContexts(params.orderedItems ?? []);
  const doc: Record<string, unknown> = {
    "@context": context,
    id: params.id,
    type: "OrderedCollection",
    totalItems: params.totalItems,
  };
  if (params.first !== undefined) doc.first = params.first;
  if (params.last !== undefined) doc.last = params.last;
  if (params.orderedItems !== undefined) doc.orderedItems = items;
  return doc;
}

/** One page of an OrderedCollection. */
export interface OrderedCollectionPageParams {
  readonly id: string;
  readonly partOf: string;
  readonly totalItems?: number;
  readonly orderedItems: readonly unknown[];
  readonly next?: string;
  readonly prev?: string;
}

/** An OrderedCollectionPage; `next`/`prev` appear only when there is such a page. */
export function buildOrderedCollectionPage(params: OrderedCollectionPageParams): Record<string, unknown> {
  const { context, items } = hoistContexts(params.orderedItems);
  const doc: Record<string, unknown> = {
    "@context": context,
    id: params.id,
    type: "OrderedCollectionPage",
    partOf: params.partOf,
  };
  if (params.totalItems !== undefined) doc.totalItems = params.totalItems;
  if (params.next !== undefined) doc.next = params.next;
  if (params.prev !== undefined) doc.prev = params.prev;
  doc.orderedItems = items;
  return doc;
}
