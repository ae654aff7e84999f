/**
 * Group commit for SQLite transactions. SQLite has one writer, and Kysely's
 * SQLite driver hands its one connection to one transaction at a time, so
 * transactions from concurrent jobs already run one after another. What
 * each costs beyond its statements is its COMMIT: every page it dirtied is
 * written to the WAL again, and small transactions appending to the same
 * tables dirty the same pages over and over (one commit measured ~120 µs,
 * more than the statements before it).
 *
 * A group runs the callbacks waiting at the moment one after another inside
 * one transaction, each within its own SAVEPOINT, and commits once. A
 * callback that throws is rolled back to its savepoint alone and its caller
 * gets the error; the others are unaffected. Every caller is answered only
 * after the group's COMMIT, so a resolved transaction is as durable as
 * before, and if the COMMIT fails every caller in the group gets that error.
 */
import { CompiledQuery, type Kysely, type Transaction } from "kysely";
import type { Database } from "./schema.ts";

/** Runs one caller's callback inside the group's open transaction. */
export type GroupMember<T> = (trx: Transaction<Database>) => Promise<T>;

/** Queues transactions into groups. */
export interface TransactionGroup {
  run<T>(member: GroupMember<T>): Promise<T>;
}

/** How big a group may get. */
export interface TransactionGroupLimits {
  /** Callbacks per group. */
  readonly maxMembers: number;
  /**
   * Milliseconds after which a group stops taking new callbacks: statements
   * outside any transaction wait for the connection until the group commits.
   */
  readonly maxOpenMs: number;
}

const DEFAULT_LIMITS: TransactionGroupLimits = { maxMembers: 64, maxOpenMs: 10 };

interface Waiting {
  readonly member: GroupMember<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Settled = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** A group committer over one database. */
export function createTransactionGroup(
  db: Kysely<Database>,
  limits: TransactionGroupLimits = DEFAULT_LIMITS,
): TransactionGroup {
  const queue: Waiting[] = [];
  let running = false;

  async function runGroup(): Promise<void> {
    const members: Waiting[] = [];
    const outcomes: Settled[] = [];
    try {
      await db.transaction().execute(async (trx) => {
        const openedAt = performance.now();
        while (queue.length > 0 && members.length < limits.maxMembers) {
          if (members.length > 0 && performance.now() - openedAt > limits.maxOpenMs) break;
          const waiting = queue.shift()!;
          members.push(waiting);
          // A lone callback needs no savepoint: its failure rolls back the whole (one-member) group.
          const alone = members.length === 1 && queue.length === 0;
          outcomes.push(alone ? await settle(waiting.member(trx)) : await runInSavepoint(trx, waiting.member));
          if (alone && !outcomes[0]!.ok) throw new LoneFailure();
        }
      });
    } catch (error) {
      if (!(error instanceof LoneFailure)) {
        // The COMMIT (or BEGIN) failed: nothing any member wrote is stored.
        for (const waiting of members) waiting.reject(error);
        return;
      }
    }
    members.forEach((waiting, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) waiting.resolve(outcome.value);
      else waiting.reject(outcome.error);
    });
  }

  function drain(): void {
    if (running || queue.length === 0) return;
    running = true;
    void runGroup().finally(() => {
      running = false;
      drain();
    });
  }

  return {
    run<T>(member: GroupMember<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ member, resolve: resolve as (value: unknown) => void, reject });
        drain();
      });
    },
  };
}

/** Thrown to roll back a one-member group whose callback failed; its own error is kept in the outcome. */
class LoneFailure extends Error {}

async function settle(promise: Promise<unknown>): Promise<Settled> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Members run one at a time and each releases its savepoint before the next, so one name serves them all. */
async function runInSavepoint(trx: Transaction<Database>, member: GroupMember<unknown>): Promise<Settled> {
  await trx.executeQuery(SAVEPOINT);
  const outcome = await settle(member(trx));
  if (!outcome.ok) await trx.executeQuery(ROLLBACK_TO_SAVEPOINT);
  await trx.executeQuery(RELEASE_SAVEPOINT);
  return outcome;
}

// Compiled once: two of these run for every member of every group.
const SAVEPOINT = CompiledQuery.raw("savepoint group_member");
const ROLLBACK_TO_SAVEPOINT = CompiledQuery.raw("rollback to savepoint group_member");
const RELEASE_SAVEPOINT = CompiledQuery.raw("release savepoint group_member");
