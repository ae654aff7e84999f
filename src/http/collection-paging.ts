/**
 * Paged OrderedCollections. The collection itself only counts and links to
 * its first (newest) and last (oldest) pages; pages link to each other with
 * keyset cursors from the store, so a page stays stable while items are
 * added and deep pages cost no more than the first.
 */
import { z } from "zod";
import { buildOrderedCollection, buildOrderedCollectionPage } from "../protocol/collections.ts";
import type { Page, PageRequest } from "../store/records.ts";
import { HttpError } from "./errors.ts";

// Cursors are opaque store tokens; this only keeps out what no store would mint.
const cursor = z.string().regex(/^[A-Za-z0-9._~:-]{1,100}$/, "malformed cursor");

const pageQuerySchema = z
  .object({
    page: z.string().optional(),
    before: cursor.optional(),
    // An empty `after` asks for the oldest page (the collection's `last`).
    after: z.union([cursor, z.literal("")]).optional(),
  })
  .refine((query) => query.before === undefined || query.after === undefined, {
    message: "before and after cannot be combined",
  });

/** What a collection request asks for: the summary, or one page. */
export type CollectionQuery =
  | { readonly kind: "collection" }
  | { readonly kind: "page"; readonly before?: string; readonly after?: string };

/** Parameters of {@link parseCollectionQuery}. */
export interface ParseCollectionQueryParams {
  /** The request's query parameters. */
  readonly query: Readonly<Record<string, string>>;
}

/** Reads `page`, `before` and `after`; throws a 400 for malformed cursors. */
export function parseCollectionQuery(params: ParseCollectionQueryParams): CollectionQuery {
  const parsed = pageQuerySchema.safeParse(params.query);
  if (!parsed.success) {
    throw new HttpError({ status: 400, message: parsed.error.issues[0]?.message ?? "invalid page parameters" });
  }
  const { page, before, after } = parsed.data;
  // A cursor alone implies a page; `page=false` (or absent) without one is the collection.
  if (before === undefined && after === undefined && (page === undefined || page === "false" || page === "0")) {
    return { kind: "collection" };
  }
  return { kind: "page", before, after };
}

/** Where a collection's items come from. */
export interface CollectionSource {
  total(): Promise<number>;
  /** One page, newest first, with its items already as served. */
  page(request: PageRequest): Promise<Page<unknown>>;
}

/** Parameters of {@link pageUrl}. */
export interface PageUrlParams {
  readonly collectionId: string;
  readonly before?: string;
  readonly after?: string;
}

/** The URL of a page of a collection. */
export function pageUrl(params: PageUrlParams): string {
  let url = `${params.collectionId}?page=true`;
  if (params.before !== undefined) url += `&before=${encodeURIComponent(params.before)}`;
  else if (params.after !== undefined) url += `&after=${encodeURIComponent(params.after)}`;
  return url;
}

/** Parameters of {@link collectionDocument}. */
export interface CollectionDocumentParams {
  readonly id: string;
  readonly query: CollectionQuery;
  readonly pageSize: number;
  readonly source: CollectionSource;
}

/** The OrderedCollection or the OrderedCollectionPage the query asks for. */
export async function collectionDocument(params: CollectionDocumentParams): Promise<Record<string, unknown>> {
  const { id, query, source } = params;
  if (query.kind === "collection") {
    return buildOrderedCollection({
      id,
      totalItems: await source.total(),
      first: pageUrl({ collectionId: id }),
      last: pageUrl({ collectionId: id, after: "" }),
    });
  }
  const [totalItems, page] = await Promise.all([
    source.total(),
    source.page({ limit: params.pageSize, before: query.before, after: query.after }),
  ]);
  return buildOrderedCollectionPage({
    id: pageUrl({ collectionId: id, before: query.before, after: query.after }),
    partOf: id,
    totalItems,
    orderedItems: page.items,
    next: page.next === null ? undefined : pageUrl({ collectionId: id, before: page.next }),
    prev: page.prev === null ? undefined : pageUrl({ collectionId: id, after: page.prev }),
  });
}
