/**
 * Rate-limit counters kept in the database, so that every web process of an
 * instance on PostgreSQL draws on one budget per client. A counter answers
 * one question per request: may this key go ahead now?
 *
 * The rule is a token bucket of `limit` requests that refills over
 * `windowMs`, kept as one number per key (the generic cell rate algorithm):
 * `full_at`, when the key's bucket is whole again. Each request admitted
 * pushes it one interval (`windowMs / limit`) further; a request that would
 * push it more than a window past now is refused. So a client may burst
 * `limit` requests, then one per interval, and an idle key's row means
 * nothing once `full_at` has passed. One atomic upsert decides, so processes
 * racing on one key never admit more than the rule allows.
 */
import { sql, type Kysely } from "kysely";
import type { Database, SqlDialectName } from "./schema.ts";
import type { Store } from "./store.ts";

/** What a counter is asked. */
export interface RateLimitHit {
  /** Requests allowed at once (the bucket's size). */
  readonly limit: number;
  /** How long an empty bucket takes to refill. */
  readonly windowMs: number;
  readonly now: Date;
}

/** A counter's answer. */
export type RateLimitVerdict =
  | { readonly allowed: true; readonly retryAfterMs: 0 }
  | { readonly allowed: false; readonly reason: "exhausted"; readonly message: string; readonly retryAfterMs: number };

/** Counts requests per key; shared by every process that shares its storage. */
export interface RateLimitCounter {
  hit(key: string, params: RateLimitHit): Promise<RateLimitVerdict>;
}

/** The `rate_limits` table, created by migration 0004-scale-out. */
export interface RateLimitTable {
  key: string;
  /** Epoch milliseconds; bigint, so PostgreSQL hands it back as a string. */
  full_at: number | string;
}

/** Parameters of {@link createSqlRateLimitCounter}. */
export interface SqlRateLimitCounterParams {
  readonly db: Kysely<Database>;
  /** How often, at most, a counter deletes rows whose buckets are whole again. */
  readonly purgeEveryMs?: number;
}

const DEFAULT_PURGE_EVERY_MS = 60_000;

/** The interval one request uses up; whole milliseconds, since the column is an integer. */
function intervalOf(hit: RateLimitHit): number {
  return Math.max(1, Math.ceil(hit.windowMs / Math.max(1, Math.floor(hit.limit))));
}

/** The refusal for a key whose bucket is whole again at `fullAt`. */
function refusal(params: { readonly fullAt: number; readonly hit: RateLimitHit }): RateLimitVerdict {
  const interval = intervalOf(params.hit);
  const tolerance = interval * Math.max(1, Math.floor(params.hit.limit));
  const now = params.hit.now.getTime();
  // Admitted once `fullAt + interval - tolerance <= now`.
  const retryAfterMs = Math.max(1, Math.max(params.fullAt, now) + interval - tolerance - now);
  return { allowed: false, reason: "exhausted", message: "too many requests", retryAfterMs };
}

/** A counter over the `rate_limits` table of a SQL store (SQLite or PostgreSQL). */
export function createSqlRateLimitCounter(params: SqlRateLimitCounterParams): RateLimitCounter {
  const db = params.db.withTables<{ rate_limits: RateLimitTable }>();
  const purgeEveryMs = params.purgeEveryMs ?? DEFAULT_PURGE_EVERY_MS;
  let lastPurge = Number.NEGATIVE_INFINITY;

  const purge = (now: number) => {
    lastPurge = now;
    // Opportunistic and off the request's path: a failure only leaves stale rows for the next purge.
    db.deleteFrom("rate_limits")
      .where("full_at", "<", now)
      .execute()
      .catch(() => undefined);
  };

  return {
    async hit(key, hit) {
      const now = hit.now.getTime();
      if (now - lastPurge >= purgeEveryMs) purge(now);
      const interval = intervalOf(hit);
      const tolerance = interval * Math.max(1, Math.floor(hit.limit));
      // The later of the stored time and now, pushed one interval further: the row as it would become.
      const next = sql<number>`(case when rate_limits.full_at > ${now} then rate_limits.full_at else ${now} end) + ${interval}`;
      const admitted = await db
        .insertInto("rate_limits")
        .values({ key, full_at: now + interval })
        .onConflict((oc) =>
          oc
            .column("key")
            .doUpdateSet({ full_at: next })
            .where(sql<boolean>`${next} - ${now} <= ${tolerance}`),
        )
        .returning("full_at")
        .executeTakeFirst();
      if (admitted !== undefined) return { allowed: true, retryAfterMs: 0 };
      const row = await db.selectFrom("rate_limits").select("full_at").where("key", "=", key).executeTakeFirst();
      return refusal({ fullAt: row === undefined ? now : Number(row.full_at), hit });
    },
  };
}

/** Parameters of {@link sharedRateLimitCounterOf}. */
export interface SharedRateLimitCounterOfParams {
  readonly store: Store;
}

/**
 * The counter to share between processes for a store: the SQL counter when
 * the store is a SQL store on PostgreSQL (several processes may serve one
 * instance), undefined otherwise (one process; counting in memory is
 * exact and cheaper).
 */
export function sharedRateLimitCounterOf(params: SharedRateLimitCounterOfParams): RateLimitCounter | undefined {
  const candidate = params.store as Partial<{ db: Kysely<Database>; dialect: SqlDialectName }>;
  if (candidate.db === undefined || candidate.dialect !== "postgres") return undefined;
  return createSqlRateLimitCounter({ db: candidate.db });
}
