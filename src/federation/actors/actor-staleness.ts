/**
 * How fresh a cached remote actor must be. Remote profiles change (names,
 * avatars, keys, inboxes), so a cached copy is fetched again once it is old;
 * but a key that just failed to verify must not make every request refetch
 * the actor, or anyone could make this server hammer another with forged
 * signatures.
 */

/** Parameters of {@link isActorStale}. */
export interface ActorStalenessParameters {
  /** When the actor document was last fetched; null when never (pushed or created here). */
  readonly fetchedAt: string | null;
  readonly now: Date;
  readonly staleAfterMs: number;
}

/** Whether a cached remote actor is old enough to fetch again. Unknown or unreadable times count as stale. */
export function isActorStale(params: ActorStalenessParameters): boolean {
  const fetched = params.fetchedAt === null ? Number.NaN : Date.parse(params.fetchedAt);
  if (Number.isNaN(fetched)) return true;
  return params.now.getTime() - fetched >= params.staleAfterMs;
}

/** The shortest time between two forced refetches of one actor (key rotation checks). */
export const MIN_REFETCH_INTERVAL_MS = 60_000;

/** Parameters of {@link mayRefetch}. */
export interface RefetchParameters {
  readonly fetchedAt: string | null;
  readonly now: Date;
  readonly minIntervalMs?: number;
}

/** Whether an actor may be fetched again on demand (a key that failed to verify, say). */
export function mayRefetch(params: RefetchParameters): boolean {
  return isActorStale({
    fetchedAt: params.fetchedAt,
    now: params.now,
    staleAfterMs: params.minIntervalMs ?? MIN_REFETCH_INTERVAL_MS,
  });
}
