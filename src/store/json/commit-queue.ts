/**
 * The one writer of a JSON store. Every change (a single write, or a whole
 * transaction) is queued here and run one at a time on a draft of the state;
 * changes that queue up while the disk is busy are run as one batch and
 * written together, so a burst of job updates costs one file replacement
 * rather than one each. A caller's promise settles only once its change is
 * on disk, and readers see a change only then too.
 */
import { Draft } from "./draft.ts";
import type { WriteTablesResult } from "./table-files.ts";
import type { TableName, Tables } from "./tables.ts";

/** Most changes written in one batch, so that one batch cannot grow without end. */
const DEFAULT_MAX_BATCH = 512;
/** Most changes waiting at once; beyond it callers are refused rather than queued without bound. */
const DEFAULT_MAX_QUEUED = 100_000;

/** How changes reach the disk, and the bounds of the queue. */
export interface CommitQueueParameters {
  readonly initial: Tables;
  readonly persist: (params: { readonly tables: Tables; readonly changed: readonly TableName[] }) => Promise<WriteTablesResult>;
  readonly maxBatch?: number;
  readonly maxQueued?: number;
}

/** The queue of changes of one store. */
export interface CommitQueue {
  /** The state on disk, which readers outside a transaction see. */
  committed(): Tables;
  /** Runs `change` as one unit, after every change queued before it; resolves once it is on disk. */
  submit<T>(change: (draft: Draft) => T | Promise<T>): Promise<T>;
  /** Waits for every queued change, then refuses new ones. */
  close(): Promise<void>;
}

interface Pending {
  change(draft: Draft): unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Creates the queue over the state loaded at open. */
export function createCommitQueue(params: CommitQueueParameters): CommitQueue {
  const maxBatch = params.maxBatch ?? DEFAULT_MAX_BATCH;
  const maxQueued = params.maxQueued ?? DEFAULT_MAX_QUEUED;
  let state = params.initial;
  const queue: Pending[] = [];
  let draining: Promise<void> | null = null;
  let closed = false;
  /** Set when a commit reached its journal but not its files: memory and disk differ until the store is reopened. */
  let broken: Error | null = null;

  async function runBatch(batch: readonly Pending[]): Promise<void> {
    const draft = new Draft({ base: state });
    const outcomes: Outcome[] = [];
    for (const item of batch) {
      const savepoint = draft.savepoint();
      try {
        outcomes.push({ ok: true, value: await item.change(draft) });
      } catch (error) {
        // Only this caller's changes go; the batch's others stand.
        draft.rollbackTo(savepoint);
        outcomes.push({ ok: false, error });
      }
    }

    let failure: Error | null = null;
    if (draft.hasChanges()) {
      const next = draft.result();
      let written: WriteTablesResult;
      try {
        written = await params.persist({ tables: next, changed: draft.changedTables() });
      } catch (cause) {
        written = { ok: false, reason: "not-written", message: "Writing the store failed", cause };
      }
      if (written.ok) {
        state = next;
      } else {
        failure = new Error(written.message, { cause: written.cause });
        if (written.reason === "journaled") {
          // The commit stands on disk (it is finished on reopen), so memory
          // follows it; further writes wait for the reopen.
          state = next;
          broken = failure;
        }
      }
    }

    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (!outcome.ok) item.reject(outcome.error);
      else if (failure !== null) item.reject(failure);
      else item.resolve(outcome.value);
    });
  }

  async function drain(): Promise<void> {
    // One turn of the event loop first, so that a burst of calls made together lands in one batch.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (queue.length > 0) await runBatch(queue.splice(0, maxBatch));
    } finally {
      draining = null;
    }
  }

  return {
    committed: () => state,

    submit<T>(change: (draft: Draft) => T | Promise<T>): Promise<T> {
      if (closed) return Promise.reject(new Error("The JSON store is closed"));
      if (broken !== null) {
        return Promise.reject(new Error("The JSON store must be reopened to finish an interrupted commit", { cause: broken }));
      }
      if (queue.length >= maxQueued) {
        return Promise.reject(new Error(`The JSON store has ${queue.length} changes waiting; refusing more until they are written`));
      }
      return new Promise<T>((resolve, reject) => {
        queue.push({ change, resolve: resolve as (value: unknown) => void, reject });
        draining ??= drain();
      });
    },

    async close() {
      closed = true;
      while (draining !== null) await draining;
    },
  };
}
