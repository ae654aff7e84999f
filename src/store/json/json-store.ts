/**
 * The JSON-files store: an implementation of {@link Store} that keeps its
 * data as readable JSON files in one directory, for static-site generators
 * and tiny deployments that want no database. The layout is described in
 * this directory's README.md.
 *
 * The whole state lives in memory, loaded at open; every change goes
 * through one queue (see commit-queue.ts) and is on disk, atomically, before
 * its promise resolves. One process owns a directory at a time (`.lock`).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { resolve } from "node:path";
import type { Store } from "../store.ts";
import { createActivityRepository } from "./activity-repository.ts";
import { createActorRepository } from "./actor-repository.ts";
import { nodeFileSystem, type JsonFileSystem } from "./atomic-file.ts";
import { createBlockRepository } from "./block-repository.ts";
import { createCollectionItemRepository } from "./collection-item-repository.ts";
import { createCommitQueue, type CommitQueue } from "./commit-queue.ts";
import type { Draft, TableView } from "./draft.ts";
import { createFollowRepository } from "./follow-repository.ts";
import { createHostHealthRepository } from "./host-health-repository.ts";
import { createInboxEntryRepository } from "./inbox-entry-repository.ts";
import { readInstanceStats } from "./instance-stats.ts";
import { createInteractionRepository } from "./interaction-repository.ts";
import type { JsonContext } from "./json-context.ts";
import { createJobRepository } from "./job-repository.ts";
import { createKeyRepository } from "./key-repository.ts";
import { acquireLock, type HeldLock } from "./lock-file.ts";
import { createObjectRepository } from "./object-repository.ts";
import { createReactionRepository } from "./reaction-repository.ts";
import { checkSchemaVersion, CURRENT_SCHEMA_VERSION, migrateToCurrent, writeSchemaVersion } from "./schema-version.ts";
import { loadTableFiles, recoverTableFiles, writeTableFiles } from "./table-files.ts";
import { createWebFingerCacheRepository } from "./webfinger-cache-repository.ts";

/** Where the store keeps its files. */
export interface JsonStoreParameters {
  /** The store's directory; created if missing. */
  dir: string;
  /** The file operations to use; the real file system unless a test substitutes its own. */
  fileSystem?: JsonFileSystem;
}

/** A {@link Store} on JSON files. */
export interface JsonStore extends Store {
  /** The directory, as an absolute path. */
  readonly dir: string;
}

/** The repositories and operations of a store over one context. */
function bindRepositories(ctx: JsonContext): Omit<Store, "transaction" | "close"> {
  return {
    actors: createActorRepository(ctx),
    keys: createKeyRepository(ctx),
    follows: createFollowRepository(ctx),
    objects: createObjectRepository(ctx),
    activities: createActivityRepository(ctx),
    reactions: createReactionRepository(ctx),
    blocks: createBlockRepository(ctx),
    collections: createCollectionItemRepository(ctx),
    inbox: createInboxEntryRepository(ctx),
    jobs: createJobRepository(ctx),
    hosts: createHostHealthRepository(ctx),
    webfinger: createWebFingerCacheRepository(ctx),
    interactions: createInteractionRepository(ctx),
    stats: async ({ now }) => readInstanceStats({ view: ctx.view(), now }),
  };
}

interface OpenTransaction {
  readonly draft: Draft;
  readonly store: Store;
  finished: boolean;
}

/**
 * Runs a change on a transaction's draft at once. A change that throws
 * midway is undone by itself (the transaction goes on, as after a failed
 * statement), so that each call stays all-or-nothing.
 */
function writeInTransaction<T>(open: OpenTransaction, change: (draft: Draft) => T): Promise<T> {
  if (open.finished) return Promise.reject(new Error("This transaction has finished; its store can no longer be written"));
  const savepoint = open.draft.savepoint();
  try {
    return Promise.resolve(change(open.draft));
  } catch (error) {
    open.draft.rollbackTo(savepoint);
    return Promise.reject(error);
  }
}

async function closeTransaction(): Promise<void> {
  throw new Error("A transaction's store cannot be closed; close the store it came from");
}

/**
 * The store over the whole directory. While a transaction is open, calls
 * made through this outer store from within its callback (directly, or deep
 * in a helper that only knows the outer store) join that transaction, as in
 * the SQL store: otherwise a write would queue behind the transaction that
 * waits for it, forever. Work that outlives the transaction (a timer started
 * inside it, say) goes back to the store once the transaction has finished.
 */
function bindRootStore(params: { queue: CommitQueue; dir: string; lock: HeldLock }): JsonStore {
  const { queue, lock } = params;
  const current = new AsyncLocalStorage<OpenTransaction>();
  const active = (): OpenTransaction | undefined => {
    const open = current.getStore();
    return open === undefined || open.finished ? undefined : open;
  };
  const committed: TableView = { rows: (name) => queue.committed().rows[name] };
  const root = bindRepositories({
    view: () => active()?.draft ?? committed,
    write: (change) => {
      const open = active();
      return open === undefined ? queue.submit(change) : writeInTransaction(open, change);
    },
  });

  let closing: Promise<void> | null = null;
  return {
    ...root,
    dir: params.dir,
    async transaction(fn) {
      // Nested calls join the transaction already open.
      const outer = active();
      if (outer !== undefined) return fn(outer.store);
      return queue.submit(async (draft) => {
        const tx: Store = {
          ...bindRepositories({ view: () => draft, write: (change) => writeInTransaction(open, change) }),
          transaction: (inner) => inner(tx),
          close: closeTransaction,
        };
        const open: OpenTransaction = { draft, store: tx, finished: false };
        try {
          return await current.run(open, () => fn(tx));
        } finally {
          open.finished = true;
        }
      });
    },
    close() {
      closing ??= (async () => {
        try {
          await queue.close();
        } finally {
          await lock.release();
        }
      })();
      return closing;
    },
  };
}

/**
 * Opens (or creates) a JSON store in `dir`: takes the directory's lock,
 * finishes a commit a crash interrupted, brings an older layout up to date,
 * and loads every table. Refuses a directory another live process holds, or
 * one written by a newer version of Outpost.
 */
export async function createJsonStore(params: JsonStoreParameters): Promise<JsonStore> {
  const dir = resolve(params.dir);
  const fs = params.fileSystem ?? nodeFileSystem;
  await fs.makeDirectory(dir);
  const locked = await acquireLock({ dir });
  if (!locked.ok) throw new Error(`Cannot open the JSON store: ${locked.message}`);
  try {
    const version = await checkSchemaVersion({ fs, dir });
    if (!version.ok) throw new Error(`Cannot open the JSON store: ${version.message}`);
    await recoverTableFiles({ fs, dir });
    if (version.kind === "new") {
      await writeSchemaVersion({ fs, dir, version: CURRENT_SCHEMA_VERSION });
    } else {
      const migrated = await migrateToCurrent({ fs, dir, from: version.version });
      if (!migrated.ok) throw new Error(`Cannot open the JSON store: ${migrated.message}`, { cause: migrated.cause });
    }
    const tables = await loadTableFiles({ fs, dir });
    const queue = createCommitQueue({
      initial: tables,
      persist: ({ tables: next, changed }) => writeTableFiles({ fs, dir, tables: next, changed }),
    });
    return bindRootStore({ queue, dir, lock: locked.lock });
  } catch (error) {
    await locked.lock.release();
    throw error;
  }
}
