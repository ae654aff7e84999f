import { AS_CONTEXT } from "./vocabulary.ts";

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
  const doc: Record<string, unknown> = {
    "@context": AS_CONTEXT,
    id: params.id,
    type: "OrderedCollection",
    totalItems: params.totalItems,
  };
  if (params.first !== undefined) doc.first = params.first;
  if (params.last !== undefined) doc.last = params.last;
  if (params.orderedItems !== undefined) doc.orderedItems = [...params.orderedItems];
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
  const doc: Record<string, unknown> = {
    "@context": AS_CONTEXT,
    id: params.id,
    type: "OrderedCollectionPage",
    partOf: params.partOf,
  };
  if (params.totalItems !== undefined) doc.totalItems = params.totalItems;
  if (params.next !== undefined) doc.next = params.next;
  if (params.prev !== undefined) doc.prev = params.prev;
  doc.orderedItems = [...params.orderedItems];
  return doc;
}
