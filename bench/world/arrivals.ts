/**
 * What reached the world's inboxes with a valid signature, counted the way
 * the workloads measure: distinct origins per Create, distinct Follows per
 * accepting actor. Waiters are told the moment a count completes, with the
 * time of the arrival that completed it.
 */
import { nowMs } from "../clock.ts";
import type { ArrivalResult } from "./world-protocol.ts";

/** Most Creates and accepting actors remembered at once; the oldest are forgotten first. */
const MAX_TRACKED = 10_000;

interface Tally {
  readonly members: Set<string>;
  lastAt: number | null;
  completedAt: number | null;
  expected: number | null;
  waiters: Array<() => void>;
}

/** Parameters of {@link Arrivals.recordCreate}. */
export interface RecordCreateParams {
  /** The Create's id and its object's id; either can be awaited. */
  readonly ids: readonly string[];
  readonly origin: string;
}

/** Parameters of {@link Arrivals.recordAccept}. */
export interface RecordAcceptParams {
  readonly actor: string;
  readonly followId: string;
}

/** Parameters of {@link Arrivals.awaitCreate}. */
export interface AwaitCreateParams {
  readonly id: string;
  readonly origins: number;
  readonly timeoutMs: number;
}

/** Parameters of {@link Arrivals.awaitAccepts}. */
export interface AwaitAcceptsParams {
  readonly actor: string;
  readonly count: number;
  readonly timeoutMs: number;
}

/** The tallies and their waiters. */
export interface Arrivals {
  recordCreate(params: RecordCreateParams): void;
  recordAccept(params: RecordAcceptParams): void;
  awaitCreate(params: AwaitCreateParams): Promise<ArrivalResult>;
  awaitAccepts(params: AwaitAcceptsParams): Promise<ArrivalResult>;
  /** Forgets every tally: a new server may reuse the previous one's actor ids. */
  reset(): void;
}

/** Makes an empty set of tallies. */
export function createArrivals(): Arrivals {
  const creates = new Map<string, Tally>();
  const accepts = new Map<string, Tally>();

  const tallyOf = (map: Map<string, Tally>, key: string): Tally => {
    let tally = map.get(key);
    if (tally === undefined) {
      tally = { members: new Set(), lastAt: null, completedAt: null, expected: null, waiters: [] };
      map.set(key, tally);
      if (map.size > MAX_TRACKED) map.delete(map.keys().next().value!);
    }
    return tally;
  };

  const add = (tally: Tally, member: string) => {
    if (tally.members.has(member)) return;
    tally.members.add(member);
    const at = nowMs();
    tally.lastAt = at;
    if (tally.expected !== null && tally.completedAt === null && tally.members.size >= tally.expected) {
      tally.completedAt = at;
      for (const wake of tally.waiters.splice(0)) wake();
    }
  };

  const wait = (tally: Tally, expected: number, timeoutMs: number): Promise<ArrivalResult> => {
    tally.expected = expected;
    const result = (): ArrivalResult => ({
      count: tally.members.size,
      expected,
      lastAt: tally.completedAt ?? tally.lastAt,
      complete: tally.completedAt !== null,
    });
    if (tally.completedAt === null && tally.members.size >= expected) tally.completedAt = tally.lastAt ?? nowMs();
    if (tally.completedAt !== null) return Promise.resolve(result());
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(result()), timeoutMs);
      tally.waiters.push(() => {
        clearTimeout(timer);
        resolve(result());
      });
    });
  };

  return {
    recordCreate({ ids, origin }) {
      for (const id of ids) add(tallyOf(creates, id), origin);
    },
    recordAccept({ actor, followId }) {
      add(tallyOf(accepts, actor), followId);
    },
    awaitCreate({ id, origins, timeoutMs }) {
      return wait(tallyOf(creates, id), origins, timeoutMs);
    },
    awaitAccepts({ actor, count, timeoutMs }) {
      return wait(tallyOf(accepts, actor), count, timeoutMs);
    },
    reset() {
      creates.clear();
      accepts.clear();
    },
  };
}
