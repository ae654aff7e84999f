/**
 * Runs an async function over items with at most `limit` calls in flight.
 * Resolving a post's mentions or a delivery's addressees one by one would make
 * publishing as slow as the slowest server times the number of addressees, and
 * all at once would open an unbounded number of connections.
 */

/** Parameters of {@link mapLimited}. */
export interface MapLimitedParams<T, R> {
  readonly items: readonly T[];
  /** Most calls running at the same time; at least 1. */
  readonly limit: number;
  readonly fn: (item: T, index: number) => Promise<R>;
}

/** Maps `items` through `fn` with bounded concurrency; results keep the items' order. */
export async function mapLimited<T, R>(params: MapLimitedParams<T, R>): Promise<R[]> {
  const { items, fn } = params;
  const limit = Math.max(1, Math.floor(params.limit));
  const results = new Array<R>(items.length);
  let next = 0;
  async function lane(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  }
  const lanes: Promise<void>[] = [];
  for (let i = 0; i < Math.min(limit, items.length); i++) lanes.push(lane());
  await Promise.all(lanes);
  return results;
}
