/**
 * A size-bounded map that evicts the least recently used entry once full.
 *
 * A Map keeps insertion order, so re-inserting an entry on every hit keeps
 * the most recently used entries at the end and the eviction candidate at the
 * front; both operations stay O(1).
 */
export interface BoundedCache<K, V> {
  /** Returns the cached value and marks it as recently used. */
  get(key: K): V | undefined;
  /** Stores a value, evicting the least recently used entry when over capacity. */
  set(key: K, value: V): void;
  /** Drops one entry; returns whether there was one. */
  delete(key: K): boolean;
  /** Number of entries currently cached. */
  readonly size: number;
  /** Drops every entry. */
  clear(): void;
}

/** Creates a bounded LRU cache holding at most `maxEntries` entries. */
export function createBoundedCache<K, V>(maxEntries: number): BoundedCache<K, V> {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  }
  const entries = new Map<K, V>();
  return {
    get(key) {
      const value = entries.get(key);
      if (value === undefined) return undefined;
      entries.delete(key);
      entries.set(key, value);
      return value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
    },
    delete(key) {
      return entries.delete(key);
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
  };
}
