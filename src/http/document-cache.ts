/**
 * Rendered public documents of local actors (the actor document, WebFinger),
 * kept in memory with the actor's document version they were rendered from.
 * Other servers fetch these far more often than they change, and rendering
 * one costs two queries and a serialization, where checking it costs one
 * tiny query: the version (see `ActorRepository.documentVersion`), which the
 * database moves on every write to the actor's row or keys, whichever
 * process makes it. The SQLite store answers it from memory while nothing
 * has been written to the file. A profile update, key rotation, deletion, move or rename
 * therefore shows on the very next request, in this process or any other
 * sharing the database. The version is read before rendering, so a write
 * that lands meanwhile leaves an entry that is newer than its version says,
 * never older, and the next request renders again.
 *
 * Only public documents go in here: anything that depends on who asks (an
 * owner's view, a token) must never be cached by a key that ignores it.
 */
import { createHash } from "node:crypto";
import { createBoundedCache } from "../crypto/bounded-cache.ts";
import type { FederationContext } from "../federation/context.ts";
import type { ActorDocumentVersion } from "../store/store.ts";

/** A response as rendered once and served many times. */
export interface RenderedDocument {
  readonly status: number;
  readonly body: string;
  /** A strong validator: differs whenever the body or its type does. */
  readonly etag: string;
  /** Every header of the response, ETag included. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Parameters of {@link renderedDocument}. */
export interface RenderedDocumentParams {
  readonly body: string;
  readonly contentType: string;
  readonly status?: number;
  /** More headers (Vary, CORS). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Builds a {@link RenderedDocument}, its ETag a hash of the type and body. */
export function renderedDocument(params: RenderedDocumentParams): RenderedDocument {
  const hash = createHash("sha256").update(params.contentType).update("\n").update(params.body).digest("base64url");
  const etag = `"${hash.slice(0, 27)}"`;
  return {
    status: params.status ?? 200,
    body: params.body,
    etag,
    headers: { "Content-Type": params.contentType, ...params.headers, ETag: etag },
  };
}

/** Whether an If-None-Match header names `etag` (or is `*`); weak forms match too, as GET allows. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  for (const candidate of header.split(",")) {
    const tag = candidate.trim();
    if (tag === "*" || tag === etag || (tag.startsWith("W/") && tag.slice(2) === etag)) return true;
  }
  return false;
}

/**
 * The response for a rendered document: 304 without a body when the client
 * holds it already (If-None-Match), the document otherwise. Its headers are a
 * plain record, which the Node.js adapter writes out without building a
 * `Headers` first.
 */
export function documentResponse(request: Request, document: RenderedDocument): Response {
  if (document.status === 200 && matchesIfNoneMatch(request.headers.get("if-none-match") ?? undefined, document.etag)) {
    const { "Content-Type": _type, ...headers } = document.headers;
    return new Response(null, { status: 304, headers });
  }
  return new Response(document.body, { status: document.status, headers: document.headers });
}

/** A cached document with what it was rendered from. */
export interface CachedDocument {
  /** The local actor it shows (lower-cased username). */
  readonly username: string;
  readonly uri: string;
  readonly version: number;
  readonly document: RenderedDocument;
}

/** A bounded, least-recently-used map of cached documents. */
export interface DocumentCache {
  get(key: string): CachedDocument | undefined;
  set(key: string, entry: CachedDocument): void;
  readonly size: number;
}

/** Parameters of {@link createDocumentCache}. */
export interface CreateDocumentCacheParams {
  /** Most entries kept; the least recently used go first. */
  readonly maxEntries: number;
}

/** Creates an empty {@link DocumentCache}. */
export function createDocumentCache(params: CreateDocumentCacheParams): DocumentCache {
  return createBoundedCache<string, CachedDocument>(params.maxEntries);
}

/** Whether a cached entry was rendered from this version of its actor. */
export function isCurrent(entry: CachedDocument | undefined, version: ActorDocumentVersion | null): entry is CachedDocument {
  return entry !== undefined && version !== null && entry.uri === version.uri && entry.version === version.version;
}

/**
 * The document version of a local actor; null when there is no such actor,
 * undefined when the store cannot tell (then nothing may be cached).
 */
export async function readDocumentVersion(
  ctx: FederationContext,
  username: string,
): Promise<ActorDocumentVersion | null | undefined> {
  const actors = ctx.store.actors;
  const read = actors.documentVersion;
  return read === undefined ? undefined : read.call(actors, username);
}
