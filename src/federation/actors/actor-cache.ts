/**
 * A small in-process cache in front of the store for remote actors and keys.
 * Verifying a busy inbox's signatures looks up the same few keys thousands of
 * times a second; that must not cost a database query each time. Entries live
 * briefly so that changes made by other processes show up soon.
 */
import type { ActorRecord } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";

/** A bounded least-recently-used cache whose entries expire. */
export interface TtlCache<V> {
  get(key: string, now: Date): V | undefined;
  set(key: string, value: V, now: Date): void;
  delete(key: string): void;
  readonly size: number;
}

/** Parameters of {@link createTtlCache}. */
export interface TtlCacheParameters {
  readonly maxEntries: number;
  readonly ttlMs: number;
}

/** Creates a cache holding at most `maxEntries` entries for at most `ttlMs` each. */
export function createTtlCache<V>(params: TtlCacheParameters): TtlCache<V> {
  const entries = new Map<string, { value: V; expires: number }>();
  return {
    get(key, now) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      entries.delete(key);
      if (entry.expires <= now.getTime()) return undefined;
      // Re-inserting keeps the Map in least-recently-used order.
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value, now) {
      entries.delete(key);
      entries.set(key, { value, expires: now.getTime() + params.ttlMs });
      while (entries.size > params.maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
    },
    delete(key) {
      entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}

/** A public key as signature verification needs it. */
export interface CachedKey {
  readonly publicKeyPem: string;
  readonly ownerUri: string;
}

/** The caches of one store. */
export interface ActorCaches {
  readonly actors: TtlCache<ActorRecord>;
  readonly keys: TtlCache<CachedKey>;
  /** Fetches under way, so that a burst of requests for one unknown actor fetches it once. */
  readonly inFlight: Map<string, Promise<unknown>>;
}

export const ACTOR_CACHE_ENTRIES = 5000;
export const ACTOR_CACHE_TTL_MS = 5 * 60_000;

// Keyed by store so that two stores in one process (tests, several instances) never share entries.
const caches = new WeakMap<Store, ActorCaches>();

/** The caches belonging to a store, created on first use. */
export function actorCachesFor(store: Store): ActorCaches {
  let found = caches.get(store);
  if (found === undefined) {
    found = {
      actors: createTtlCache({ maxEntries: ACTOR_CACHE_ENTRIES, ttlMs: ACTOR_CACHE_TTL_MS }),
      keys: createTtlCache({ maxEntries: ACTOR_CACHE_ENTRIES, ttlMs: ACTOR_CACHE_TTL_MS }),
      inFlight: new Map(),
    };
    caches.set(store, found);
  }
  return found;
}

/** Runs `load` once for concurrent callers asking for the same thing. */
export function coalesce<T>(caches: ActorCaches, key: string, load: () => Promise<T>): Promise<T> {
  const running = caches.inFlight.get(key);
  if (running !== undefined) return running as Promise<T>;
  const started = load().finally(() => caches.inFlight.delete(key));
  caches.inFlight.set(key, started);
  return started;
}
