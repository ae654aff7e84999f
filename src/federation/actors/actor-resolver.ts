/**
 * Remote actors and their keys: looked up in memory, then in the store, and
 * fetched from their server when missing or stale. Everything stored is
 * checked first: the document must come from the actor's own host, keys
 * must be listed by their owner, and profile HTML is sanitized.
 */
import { idOf, idsOf, isHttpUri, isJsonObject, sameOrigin, typeOf } from "../../protocol/json-ld.ts";
import { normalizeActor } from "../../protocol/normalize.ts";
import { isActorType } from "../../protocol/vocabulary.ts";
import type { ActorRecord, KeyRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { fetchDocument, type DocumentFailureReason } from "../fetch/fetch-document.ts";
import { actorCachesFor, coalesce, type CachedKey } from "./actor-cache.ts";
import { isActorStale, mayRefetch } from "./actor-staleness.ts";
import { instanceActor } from "./instance-actor.ts";
import { remoteActorRecord } from "./remote-actor-record.ts";

/** Why an actor could not be had. */
export type ActorFailureReason =
  | "invalidUri"
  | "invalidActor"
  | "hostMismatch"
  | "local"
  | DocumentFailureReason;

/** An actor, or why there is none. */
export type ActorResult = { ok: true; actor: ActorRecord } | { ok: false; reason: ActorFailureReason; message: string };

/** Options of {@link resolveActor}. */
export interface ResolveActorOptions {
  /** Fetch even when a fresh copy is cached. */
  readonly refresh?: boolean;
}

/** Failures after which a stale stored copy is better than nothing. */
const TRANSIENT: ReadonlySet<string> = new Set(["timeout", "network", "dnsFailure", "httpError"]);

/**
 * An actor by URI. Local URIs are answered from the store; remote actors
 * from the cache or store while fresh, otherwise fetched and stored. When the
 * actor's server cannot be reached, a stale stored copy is returned.
 */
export async function resolveActor(ctx: FederationContext, uri: string, options: ResolveActorOptions = {}): Promise<ActorResult> {
  if (!isHttpUri(uri)) return { ok: false, reason: "invalidUri", message: `Not an http(s) URI: ${JSON.stringify(uri)}` };
  if (ctx.uris.isLocal(uri)) return localActor(ctx, uri);
  const caches = actorCachesFor(ctx.store);
  const now = ctx.now();
  let stored: ActorRecord | null = null;
  if (options.refresh !== true) {
    const cached = caches.actors.get(uri, now);
    if (cached !== undefined) return { ok: true, actor: cached };
    stored = await ctx.store.actors.get(uri);
    if (stored !== null && !stored.local) {
      if (stored.deletedAt !== null) return { ok: false, reason: "gone", message: `${uri} was deleted` };
      if (!isActorStale({ fetchedAt: stored.fetchedAt, now, staleAfterMs: ctx.config.actorStaleAfterMs })) {
        caches.actors.set(uri, stored, now);
        return { ok: true, actor: stored };
      }
    }
  }
  return coalesce(caches, `actor:${uri}`, () => fetchActor(ctx, uri, stored));
}

/**
 * The stored record of an actor, from the cache when it is there; never
 * fetched. Inbox jobs read the sender's record for its followers collection
 * on every activity, and the same few senders send most of them. A fresh
 * remote record read here is cached as {@link resolveActor} would.
 */
export async function storedActor(ctx: FederationContext, uri: string): Promise<ActorRecord | null> {
  const caches = actorCachesFor(ctx.store);
  const now = ctx.now();
  const cached = caches.actors.get(uri, now);
  if (cached !== undefined) return cached;
  const stored = await ctx.store.actors.get(uri);
  if (
    stored !== null &&
    !stored.local &&
    stored.deletedAt === null &&
    !isActorStale({ fetchedAt: stored.fetchedAt, now, staleAfterMs: ctx.config.actorStaleAfterMs })
  ) {
    caches.actors.set(uri, stored, now);
  }
  return stored;
}

async function fetchActor(ctx: FederationContext, uri: string, stored: ActorRecord | null): Promise<ActorResult> {
  const fetched = await fetchDocument(ctx, uri);
  if (fetched.ok) return (await storeActorDocument(ctx, { document: fetched.document, requestedUri: uri })).result;
  ctx.logger.debug({ uri, reason: fetched.reason, status: fetched.status }, "could not fetch actor");
  stored ??= await ctx.store.actors.get(uri);
  if (fetched.reason === "gone" && stored !== null && !stored.local) {
    await ctx.store.transaction(async (tx) => {
      await tx.actors.markDeleted(uri, ctx.now().toISOString());
      await tx.keys.removeForOwner(uri);
    });
    forgetCachedActor(ctx, uri);
  }
  const transient = TRANSIENT.has(fetched.reason) && (fetched.status === undefined || fetched.status >= 500 || fetched.status === 429);
  if (transient && stored !== null && !stored.local && stored.deletedAt === null) {
    // Remember the stale copy briefly so that an outage does not cost a timeout per request.
    actorCachesFor(ctx.store).actors.set(uri, stored, ctx.now());
    return { ok: true, actor: stored };
  }
  return { ok: false, reason: fetched.reason, message: fetched.message };
}

async function localActor(ctx: FederationContext, uri: string): Promise<ActorResult> {
  if (uri === ctx.uris.instanceActor()) return { ok: true, actor: (await instanceActor(ctx)).actor };
  const actor = await ctx.store.actors.get(uri);
  if (actor === null || !actor.local) return { ok: false, reason: "notFound", message: `No local actor ${uri}` };
  if (actor.deletedAt !== null) return { ok: false, reason: "gone", message: `${uri} was deleted` };
  return { ok: true, actor };
}

/**
 * Stores an actor document that was pushed rather than fetched (an
 * Update of a Person, say). The caller must already have established that
 * the document comes from the actor's server, e.g. by a signature of a key
 * on the same origin.
 */
export async function refreshActorFromDocument(ctx: FederationContext, document: Record<string, unknown>): Promise<ActorResult> {
  const id = idOf(document);
  if (id === undefined || !isHttpUri(id)) return { ok: false, reason: "invalidActor", message: "The actor document has no http(s) id" };
  return (await storeActorDocument(ctx, { document, requestedUri: id })).result;
}

/** Drops an actor and its keys from the in-process cache (after a Delete or a Move, say). */
export function forgetCachedActor(ctx: FederationContext, uri: string): void {
  const caches = actorCachesFor(ctx.store);
  const cached = caches.actors.get(uri, ctx.now());
  caches.actors.delete(uri);
  const document = cached?.document;
  if (isJsonObject(document)) {
    for (const keyId of [...idsOf(document.publicKey), ...idsOf(document.additionalPublicKeys)]) caches.keys.delete(keyId);
  }
}

interface StoredActor {
  readonly result: ActorResult;
  readonly keys: readonly KeyRecord[];
}

async function storeActorDocument(
  ctx: FederationContext,
  params: { document: Record<string, unknown>; requestedUri: string },
): Promise<StoredActor> {
  const normalized = normalizeActor(params.document);
  if (!normalized.ok) {
    return { result: { ok: false, reason: "invalidActor", message: `Not a usable actor: ${normalized.message}` }, keys: [] };
  }
  const actor = normalized.value;
  if (new URL(actor.id).host.toLowerCase() !== new URL(params.requestedUri).host.toLowerCase()) {
    const message = `${params.requestedUri} served an actor of another host: ${actor.id}`;
    return { result: { ok: false, reason: "hostMismatch", message }, keys: [] };
  }
  if (ctx.uris.isLocal(actor.id)) {
    return { result: { ok: false, reason: "local", message: `${actor.id} is a local actor` }, keys: [] };
  }
  const now = ctx.now();
  const { record, keys } = remoteActorRecord({ actor, at: now.toISOString() });
  const previousKeys = await ctx.store.transaction(async (tx) => {
    const previous = await tx.keys.listForOwner(record.uri);
    await tx.actors.put(record);
    // Keys the actor no longer lists are dropped: a rotated-out key must stop verifying.
    await tx.keys.removeForOwner(record.uri);
    for (const key of keys) await tx.keys.put(key);
    return previous;
  });
  const caches = actorCachesFor(ctx.store);
  for (const key of previousKeys) caches.keys.delete(key.keyId);
  caches.actors.set(record.uri, record, now);
  if (params.requestedUri !== record.uri) caches.actors.set(params.requestedUri, record, now);
  for (const key of keys) caches.keys.set(key.keyId, { publicKeyPem: key.publicKeyPem, ownerUri: key.ownerUri }, now);
  ctx.logger.debug({ actor: record.uri, keys: keys.length }, "stored remote actor");
  return { result: { ok: true, actor: record }, keys };
}

/** Options of {@link resolveKey}. */
export interface ResolveKeyOptions {
  /** The cached key failed to verify: look again at the source, in case it rotated. */
  readonly refresh: boolean;
}

/**
 * A public key by key id, for signature verification. Known keys come from
 * memory or the store; unknown ones (and, with `refresh`, known ones) are
 * fetched: either an actor document listing the key, or a key document whose
 * owner must in turn list it. Null when no trustworthy key is found.
 */
export async function resolveKey(ctx: FederationContext, keyId: string, options: ResolveKeyOptions): Promise<CachedKey | null> {
  if (!isHttpUri(keyId)) return null;
  if (ctx.uris.isLocal(keyId)) return localKey(ctx, keyId);
  const caches = actorCachesFor(ctx.store);
  const now = ctx.now();
  if (!options.refresh) {
    const cached = caches.keys.get(keyId, now);
    if (cached !== undefined) return cached;
  }
  const stored = await ctx.store.keys.get(keyId);
  if (stored !== null) {
    const known = { publicKeyPem: stored.publicKeyPem, ownerUri: stored.ownerUri };
    if (!options.refresh) {
      caches.keys.set(keyId, known, now);
      return known;
    }
    // Forged signatures must not turn into one fetch each: refetch an owner at most once a minute.
    const owner = await ctx.store.actors.get(stored.ownerUri);
    if (owner !== null && !mayRefetch({ fetchedAt: owner.fetchedAt, now })) return known;
  }
  try {
    return await coalesce(caches, `key:${keyId}`, () => fetchKey(ctx, keyId));
  } catch (error) {
    ctx.logger.warn({ keyId, err: error }, "could not resolve key");
    return null;
  }
}

async function localKey(ctx: FederationContext, keyId: string): Promise<CachedKey | null> {
  if (keyId === ctx.uris.instanceKey()) {
    const { key } = await instanceActor(ctx);
    return { publicKeyPem: key.publicKeyPem, ownerUri: key.ownerUri };
  }
  const key = await ctx.store.keys.get(keyId);
  return key === null ? null : { publicKeyPem: key.publicKeyPem, ownerUri: key.ownerUri };
}

async function fetchKey(ctx: FederationContext, keyId: string): Promise<CachedKey | null> {
  const url = withoutFragment(keyId);
  const fetched = await fetchDocument(ctx, url);
  if (!fetched.ok) {
    ctx.logger.debug({ keyId, reason: fetched.reason, status: fetched.status }, "could not fetch key");
    return null;
  }
  const document = fetched.document;
  const type = typeOf(document);
  if (type !== undefined && isActorType(type)) {
    const stored = await storeActorDocument(ctx, { document, requestedUri: url });
    const key = stored.keys.find((candidate) => candidate.keyId === keyId);
    if (key !== undefined) return { publicKeyPem: key.publicKeyPem, ownerUri: key.ownerUri };
    // Some servers serve a trimmed actor at the key URL; fall through and ask its owner.
  }
  return keyFromKeyDocument(ctx, keyId, document);
}

/**
 * A standalone key document (`{ id, owner, publicKeyPem }`) or a stub carrying
 * the key, trusted only when the owner's own actor document lists the key.
 */
async function keyFromKeyDocument(ctx: FederationContext, keyId: string, document: Record<string, unknown>): Promise<CachedKey | null> {
  const key = findKeyObject(document, keyId);
  if (key === null) return null;
  // The document was the owner itself and did not list the key usably; there is no one else to ask.
  if (idOf(document) === key.owner) return null;
  if (!isHttpUri(key.owner) || !sameOrigin(key.owner, keyId)) return null;
  let owner = await resolveActor(ctx, key.owner);
  if (!owner.ok) return null;
  let found = await keyListedBy(ctx, owner.actor, keyId, key.publicKeyPem);
  if (found === null && mayRefetch({ fetchedAt: owner.actor.fetchedAt, now: ctx.now() })) {
    // The cached owner may predate the key.
    owner = await resolveActor(ctx, key.owner, { refresh: true });
    if (!owner.ok) return null;
    found = await keyListedBy(ctx, owner.actor, keyId, key.publicKeyPem);
  }
  return found;
}

/** The key if the owner's document lists it, embedded or by reference. */
async function keyListedBy(ctx: FederationContext, owner: ActorRecord, keyId: string, pem: string): Promise<CachedKey | null> {
  const listed = await ctx.store.keys.get(keyId);
  if (listed !== null && listed.ownerUri === owner.uri) {
    return { publicKeyPem: listed.publicKeyPem, ownerUri: listed.ownerUri };
  }
  const raw = owner.document;
  if (!isJsonObject(raw) || ![...idsOf(raw.publicKey), ...idsOf(raw.additionalPublicKeys)].includes(keyId)) return null;
  // Listed by reference only: keep the PEM the key document gave.
  await ctx.store.keys.put({ keyId, ownerUri: owner.uri, publicKeyPem: pem, privateKeyPem: null });
  const found = { publicKeyPem: pem, ownerUri: owner.uri };
  actorCachesFor(ctx.store).keys.set(keyId, found, ctx.now());
  return found;
}

function findKeyObject(document: Record<string, unknown>, keyId: string): { owner: string; publicKeyPem: string } | null {
  const candidates = [document, ...asObjects(document.publicKey), ...asObjects(document.additionalPublicKeys)];
  for (const candidate of candidates) {
    if (idOf(candidate) !== keyId) continue;
    const owner = idOf(candidate.owner) ?? idOf(candidate.controller);
    const pem = candidate.publicKeyPem;
    if (owner !== undefined && typeof pem === "string" && pem.length > 0) return { owner, publicKeyPem: pem };
  }
  return null;
}

function asObjects(value: unknown): Record<string, unknown>[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter(isJsonObject);
}

function withoutFragment(uri: string): string {
  const hash = uri.indexOf("#");
  return hash === -1 ? uri : uri.slice(0, hash);
}
