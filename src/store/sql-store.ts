/**
 * The SQL store: one implementation of {@link Store} over Kysely that runs on
 * SQLite (embedded, through `node:sqlite`) or PostgreSQL (through `pg`), with
 * one schema and one set of migrations for both.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { CompiledQuery, Kysely, PostgresDialect, type Dialect, type Transaction } from "kysely";
import { createActivityRepository } from "./activity-repository.ts";
import { createActorRepository, createDocumentVersionMemo, type DocumentVersionMemo } from "./actor-repository.ts";
import { createChangeWatch, type ChangeWatch } from "./change-watch.ts";
import { createBlockRepository } from "./block-repository.ts";
import { createCollectionItemRepository } from "./collection-item-repository.ts";
import { createFollowRepository } from "./follow-repository.ts";
import { createHostHealthRepository } from "./host-health-repository.ts";
import { createInboxEntryRepository } from "./inbox-entry-repository.ts";
import { createInteractionRepository } from "./interaction-repository.ts";
import { readInstanceStats } from "./instance-stats.ts";
import { createJobRepository } from "./job-repository.ts";
import { createKeyRepository } from "./key-repository.ts";
import { migrateToLatest } from "./migrations/migrate.ts";
import { createObjectRepository } from "./object-repository.ts";
import { createReactionRepository } from "./reaction-repository.ts";
import type { Database, Queryable, SqlDialectName } from "./schema.ts";
import { createSchemaScopedIntrospector } from "./schema-scoped-introspector.ts";
import { createPreparedQueries, type PreparedQueries } from "./prepared-queries.ts";
import { createNodeSqliteDialect, isFilePath, type DirectSqlite } from "./sqlite-dialect.ts";
import { sqliteFileIn } from "./sqlite-file.ts";
import { threadWriteLockOf } from "./thread-write-lock.ts";
import type { Store } from "./store.ts";
import { createTransactionGroup } from "./transaction-group.ts";
import { createWebFingerCacheRepository } from "./webfinger-cache-repository.ts";

/** Where and how to open the store. */
export interface SqlStoreParameters {
  /**
   * `postgres://…` or `postgresql://…` for PostgreSQL; otherwise a SQLite
   * file path (an optional `sqlite:` prefix is accepted) or `:memory:`.
   */
  url?: string;
  /** Without `url`: the SQLite database is `${dataDir}/outpost.sqlite`. */
  dataDir?: string;
  /** PostgreSQL: most connections open at once (default 10). */
  poolSize?: number;
  /** PostgreSQL: the schema to keep the tables in; created if missing. */
  schema?: string;
  /**
   * SQLite: the write lock of a store another thread of this process opened
   * on the same file ({@link SqlStore.sibling}), taken here through a slot of
   * this thread's own. Without it a SQLite file gets a new lock.
   */
  writeLock?: { readonly buffer: SharedArrayBuffer; readonly slot: number };
}

/**
 * How long the thread that opened a SQLite store (the process's, which
 * answers requests) waits for its turn at the write lock with its event loop
 * stopped. Threads that join the store write in transactions of a few
 * milliseconds and wait for nothing of the process's thread meanwhile; a
 * turn that waited for the process's busy event loop instead left the inbox
 * thread idle a third of its time (see thread-write-lock.ts). Longer holds,
 * a commit that syncs the log, say, are waited for as a promise after this.
 */
const CREATOR_BLOCKING_WAIT_MS = 20;

/**
 * What another thread of this process needs to open the same database:
 * plain data, to go into a worker's `workerData`.
 */
export interface SqlStoreSibling {
  /** The parameters this store was opened with, and for SQLite the buffer of its write lock (slot 0 is this thread's). */
  readonly params: Omit<SqlStoreParameters, "writeLock"> & { readonly writeLockBuffer?: SharedArrayBuffer };
}

/** A {@link Store} on SQL, with the database itself within reach for tools and tests. */
export interface SqlStore extends Store {
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialectName;
  /** Brings the schema up to date; {@link createSqlStore} already does so on open. */
  migrate(): Promise<void>;
  /** How another thread opens this database beside this store; undefined for a database in memory. */
  readonly sibling: SqlStoreSibling | undefined;
}

const DEFAULT_POOL_SIZE = 10;

/** A plain identifier, so that it can go into `search_path` without quoting games. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** How another thread opens the same database as this store, when it is a SQL store on a file or server. */
export function sqlStoreSiblingOf(store: Store): SqlStoreSibling | undefined {
  return (store as Partial<SqlStore>).sibling;
}

function sqlitePath(params: SqlStoreParameters): string {
  if (params.url !== undefined && params.url !== "") {
    const path = params.url.replace(/^sqlite:(\/\/)?/i, "");
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    return path;
  }
  if (params.dataDir === undefined || params.dataDir === "") {
    throw new Error("createSqlStore needs a url or a dataDir");
  }
  mkdirSync(params.dataDir, { recursive: true });
  return sqliteFileIn(params.dataDir);
}

function postgresDialect(url: string, params: SqlStoreParameters): Dialect {
  const { schema } = params;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid PostgreSQL schema name: ${JSON.stringify(schema)}`);
  }
  // pg is loaded when a PostgreSQL store first connects: a server on SQLite never needs it.
  const pool = async () => {
    const { default: pg } = await import("pg");
    const created = new pg.Pool({ connectionString: url, max: params.poolSize ?? DEFAULT_POOL_SIZE });
    // An idle connection that breaks (a server restart, say) is dropped by the
    // pool and replaced on the next query; unhandled, the event would end the process.
    created.on("error", () => {});
    return created;
  };
  // The migrator's view of the catalog is limited to this store's schema (see the introspector).
  return new (class extends PostgresDialect {
    override createIntrospector(db: Kysely<any>) {
      return createSchemaScopedIntrospector({ db, schema });
    }
  })({
    pool,
    // Runs once on each new connection, before any query of ours uses it.
    onCreateConnection:
      schema === undefined
        ? undefined
        : async (connection) => {
            await connection.executeQuery(CompiledQuery.raw(`SET search_path TO "${schema}"`));
          },
  });
}

async function createSchema(db: Kysely<Database>, schema: string): Promise<void> {
  try {
    await db.executeQuery(CompiledQuery.raw(`CREATE SCHEMA IF NOT EXISTS "${schema}"`));
  } catch (error) {
    // Two processes opening a new schema together race on the catalog; the
    // loser's error (a duplicate) means the schema is there, which is the point.
    const code = (error as { code?: unknown }).code;
    if (code !== "23505" && code !== "42P06") throw error;
  }
}

/** The repositories and operations of a store over one database handle. */
function bindRepositories(
  db: Queryable,
  dialect: SqlDialectName,
  prepared: PreparedQueries,
  versions?: DocumentVersionMemo,
): Omit<Store, "transaction" | "close"> {
  return {
    actors: createActorRepository(db, prepared, versions),
    keys: createKeyRepository(db, prepared),
    follows: createFollowRepository(db, prepared),
    objects: createObjectRepository(db, prepared),
    activities: createActivityRepository(db, prepared),
    reactions: createReactionRepository(db),
    blocks: createBlockRepository(db, prepared),
    collections: createCollectionItemRepository(db),
    inbox: createInboxEntryRepository(db, prepared),
    jobs: createJobRepository(db, dialect),
    hosts: createHostHealthRepository(db, prepared),
    webfinger: createWebFingerCacheRepository(db),
    interactions: createInteractionRepository(db),
    stats: ({ now }) => readInstanceStats(db, now),
  };
}

type RepositoryName = Exclude<keyof Store, "transaction" | "close" | "stats">;
const REPOSITORY_NAMES: readonly RepositoryName[] = [
  "actors", "keys", "follows", "objects", "activities", "reactions",
  "blocks", "collections", "inbox", "jobs", "hosts", "webfinger", "interactions",
];

interface OpenTransaction {
  readonly store: Store;
  finished: boolean;
}

/**
 * The store over the whole database. While a transaction is open, calls made
 * through this outer store from within the transaction's callback (directly,
 * or deep in a helper that only knows the outer store) run inside that
 * transaction: on SQLite the transaction holds the only connection, so such a
 * call would otherwise wait for it forever, and on PostgreSQL it would escape
 * the transaction's atomicity. Work that outlives the transaction (a timer
 * created inside it, say) goes back to the database once it has finished.
 */
interface BindRootStoreParameters {
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialectName;
  readonly close: () => Promise<void>;
  readonly changes?: ChangeWatch | undefined;
  /** SQLite: the connection, for prepared statements run without Kysely's driver where that is safe. */
  readonly direct?: DirectSqlite | undefined;
}

function bindRootStore(params: BindRootStoreParameters): Store {
  const { db, dialect, close, changes } = params;
  const current = new AsyncLocalStorage<OpenTransaction>();
  const prepared = createPreparedQueries(params.direct);
  // Outside transactions only: the memo holds what the database has committed (or this connection wrote).
  const root = bindRepositories(db, dialect, prepared, changes === undefined ? undefined : createDocumentVersionMemo(changes));
  const group = dialect === "sqlite" ? createTransactionGroup(db) : undefined;
  const active = (): Store | undefined => {
    const open = current.getStore();
    return open === undefined || open.finished ? undefined : open.store;
  };
  const routed = <K extends RepositoryName>(name: K): Store[K] =>
    new Proxy(root[name] as Store[K], {
      get(target, property) {
        const repository = (active()?.[name] ?? target) as unknown as Record<PropertyKey, unknown>;
        const value = repository[property];
        return typeof value === "function" ? value.bind(repository) : value;
      },
    });
  const store = Object.fromEntries(REPOSITORY_NAMES.map((name) => [name, routed(name)])) as Pick<Store, RepositoryName>;
  return {
    ...store,
    stats: (params) => (active() ?? root).stats(params),
    async transaction(fn) {
      // Nested calls join the transaction already open.
      const outer = active();
      if (outer !== undefined) return fn(outer);
      const open: { store?: Store; finished: boolean } = { finished: false };
      const runIn = async (trx: Transaction<Database>) => {
        const tx: Store = {
          ...bindRepositories(trx, dialect, prepared),
          transaction: (inner) => inner(tx),
          close: closeTransaction,
        };
        open.store = tx;
        try {
          return await current.run(open as OpenTransaction, () => fn(tx));
        } finally {
          // What the callback left running goes back to the database once it has returned.
          open.finished = true;
        }
      };
      try {
        // SQLite runs one transaction at a time anyway: concurrent ones share a commit.
        if (group !== undefined) return await group.run(runIn);
        return await db.transaction().execute(runIn);
      } finally {
        open.finished = true;
      }
    },
    close,
  };
}

async function closeTransaction(): Promise<void> {
  throw new Error("A transaction's store cannot be closed; close the store it came from");
}

/**
 * Opens the store and brings its schema up to date.
 *
 * Inside {@link Store.transaction}, prefer the `tx` store handed to the
 * callback; calls through the outer store from within the callback join the
 * transaction too (see {@link bindRootStore}).
 *
 * On SQLite, open one store per process: separate processes (the CLI and the
 * server) share a file safely, but two stores of one process on one file can
 * stall each other, since a writer waiting for the lock blocks the thread the
 * lock holder needs to finish.
 */
export async function createSqlStore(params: SqlStoreParameters): Promise<SqlStore> {
  const url = params.url ?? "";
  const dialect: SqlDialectName = isPostgresUrl(url) ? "postgres" : "sqlite";
  const path = dialect === "sqlite" ? sqlitePath(params) : undefined;
  const inMemory = path !== undefined && !isFilePath(path);
  // Every thread that opens a SQLite file beside this store takes this lock before writing.
  const writeLock =
    path === undefined || inMemory
      ? undefined
      : threadWriteLockOf(params.writeLock ?? { blockingWaitMs: CREATOR_BLOCKING_WAIT_MS });
  // What the embedded store's connection tells about writes, so that reads asked for on every request can be kept between them.
  const changes = path === undefined ? undefined : createChangeWatch();
  const sqliteDialect =
    path === undefined
      ? undefined
      : createNodeSqliteDialect(path, { ...(writeLock === undefined ? {} : { writeLock }), ...(changes === undefined ? {} : { changes }) });
  const db = new Kysely<Database>({ dialect: sqliteDialect ?? postgresDialect(url, params) });
  const migrate = () => migrateToLatest(db, dialect, params.schema === undefined ? {} : { schema: params.schema });
  try {
    if (dialect === "postgres" && params.schema !== undefined) await createSchema(db, params.schema);
    await migrate();
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const store = bindRootStore({ db, dialect, close: () => db.destroy(), changes, direct: sqliteDialect?.direct });
  const { writeLock: _joined, ...opened } = params;
  const sibling: SqlStoreSibling | undefined = inMemory
    ? undefined
    : { params: writeLock === undefined ? opened : { ...opened, writeLockBuffer: writeLock.buffer } };
  return { ...store, db, dialect, migrate, sibling };
}
