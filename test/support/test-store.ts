/**
 * The store a test runs on. By default a fresh SQLite database in memory; with
 * OUTPOST_TEST_BACKEND=postgres, a fresh schema `t_<random>` of the database
 * named by OUTPOST_TEST_DATABASE_URL, dropped (with everything in it) when the
 * store closes, so that test files running side by side never see each
 * other's rows and nothing piles up in the database between runs.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createSqlStore, type SqlStore } from "../../src/store/sql-store.ts";

/** Which backend the suite runs on. */
export type TestBackend = "sqlite" | "postgres";

/** A store for one test; `close()` also removes its PostgreSQL schema. */
export interface TestStore extends SqlStore {
  /** The PostgreSQL schema the store lives in; undefined on SQLite. */
  readonly schema: string | undefined;
}

/** Options of {@link openTestStore}. */
export interface OpenTestStoreParams {
  /** Open this backend whatever OUTPOST_TEST_BACKEND says (PostgreSQL still needs OUTPOST_TEST_DATABASE_URL). */
  readonly backend?: TestBackend;
  /** On SQLite: keep the database in this directory (`outpost.sqlite`) instead of in memory. */
  readonly dataDir?: string;
  /** On PostgreSQL: most connections at once (default 4, so that parallel test files stay under the server's limit). */
  readonly poolSize?: number;
}

/** A schema of the test database. */
export interface TestSchemaAddress {
  readonly url: string;
  readonly schema: string;
}

/** A fresh PostgreSQL schema that is not opened yet (for child processes to open). */
export interface TestSchema extends TestSchemaAddress {
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

const DEFAULT_TEST_POOL_SIZE = 4;

/** The PostgreSQL database of the tests, when there is one. */
export function testDatabaseUrl(): string | undefined {
  const url = process.env.OUTPOST_TEST_DATABASE_URL;
  return url === undefined || url === "" ? undefined : url;
}

/** The backend selected by OUTPOST_TEST_BACKEND (PostgreSQL needs OUTPOST_TEST_DATABASE_URL too). */
export function testBackend(): TestBackend {
  const chosen = (process.env.OUTPOST_TEST_BACKEND ?? "").trim().toLowerCase();
  if (chosen === "" || chosen === "sqlite") return "sqlite";
  if (chosen !== "postgres") throw new Error(`OUTPOST_TEST_BACKEND must be sqlite or postgres, not ${JSON.stringify(chosen)}`);
  if (testDatabaseUrl() === undefined) {
    throw new Error("OUTPOST_TEST_BACKEND=postgres needs OUTPOST_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)");
  }
  return "postgres";
}

/**
 * A new schema name. The test runner sets OUTPOST_TEST_RUN_ID so that the
 * schemas of one run share a prefix it can sweep afterwards, should a test
 * have left a store open.
 */
export function newTestSchemaName(): string {
  const run = (process.env.OUTPOST_TEST_RUN_ID ?? "").replace(/[^a-z0-9]/gi, "").toLowerCase().slice(0, 12);
  const random = randomBytes(6).toString("hex");
  return run === "" ? `t_${random}` : `t_${run}_${random}`;
}

/**
 * Opening a store lists the tables of every schema of the database, and
 * fails when a schema disappears while it does (see {@link openFreshSchema}).
 * Test processes therefore open stores under a shared advisory lock and drop
 * schemas under an exclusive one: opens run side by side, and a drop waits
 * until the opens under way are done.
 */
const SCHEMA_LOCK_KEY = 4_242_017;

/** Parameters of {@link withSchemaLock}. */
export interface WithSchemaLockParams<T> {
  readonly url: string;
  /** "shared" to open stores (child processes starting, say), "exclusive" to drop schemas. */
  readonly mode: "shared" | "exclusive";
  readonly run: (client: pg.Client) => Promise<T>;
}

/** Runs `run` holding the test schemas' advisory lock, on a connection of its own. */
export async function withSchemaLock<T>(params: WithSchemaLockParams<T>): Promise<T> {
  const client = new pg.Client({ connectionString: params.url });
  await client.connect();
  try {
    await client.query(params.mode === "shared" ? "select pg_advisory_lock_shared($1)" : "select pg_advisory_lock($1)", [SCHEMA_LOCK_KEY]);
    return await params.run(client);
  } finally {
    // Ending the session releases the lock.
    await client.end();
  }
}

/** Drops a test schema with everything in it, over a connection of its own. */
export async function dropTestSchema(params: TestSchemaAddress): Promise<void> {
  if (!/^t_[a-z0-9_]+$/.test(params.schema)) throw new Error(`not a test schema: ${params.schema}`);
  await withSchemaLock({
    url: params.url,
    mode: "exclusive",
    run: (client) => client.query(`DROP SCHEMA IF EXISTS "${params.schema}" CASCADE`),
  });
}

/** Reserves a schema name in the test database (PostgreSQL only); the caller drops it. */
export function reserveTestSchema(): TestSchema {
  const url = testDatabaseUrl();
  if (url === undefined) throw new Error("reserveTestSchema needs OUTPOST_TEST_DATABASE_URL");
  const schema = newTestSchemaName();
  return { url, schema, drop: () => dropTestSchema({ url, schema }) };
}

const OPEN_ATTEMPTS = 5;

/** PostgreSQL's codes for a schema, table or column that does not exist (any more). */
const VANISHED_CODES = new Set(["3F000", "42P01", "42703"]);

/** Whether opening failed on the catalog race described in {@link openFreshSchema}. */
function isVanishedObjectError(error: unknown): boolean {
  for (let cause = error; typeof cause === "object" && cause !== null; cause = (cause as { cause?: unknown }).cause) {
    if (VANISHED_CODES.has(String((cause as { code?: unknown }).code))) return true;
  }
  return false;
}

/**
 * Creates and migrates a store in a new schema. The migrator looks for its
 * bookkeeping tables by listing the tables of every schema of the database,
 * and that listing fails ("schema … does not exist", "column … does not
 * exist") when a schema is dropped at that moment. Test stores take the
 * schema lock for it; a test that drops schemas of its own without the lock
 * can still get in the way, and then the attempt is made again.
 */
async function openFreshSchema(params: TestSchema & { readonly poolSize: number }): Promise<SqlStore> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withSchemaLock({
        url: params.url,
        mode: "shared",
        run: () => createSqlStore({ url: params.url, schema: params.schema, poolSize: params.poolSize }),
      });
    } catch (error) {
      await params.drop().catch(() => undefined);
      if (attempt >= OPEN_ATTEMPTS || !isVanishedObjectError(error)) throw error;
    }
  }
}

/**
 * The PostgreSQL database for tests that only make sense there (several
 * processes sharing one database, query plans): set when
 * OUTPOST_TEST_DATABASE_URL is, except in a pass that asked for SQLite, so
 * that the runner's two passes do not run such tests twice.
 */
export function postgresOnlyTestsUrl(): string | undefined {
  const chosen = (process.env.OUTPOST_TEST_BACKEND ?? "").trim().toLowerCase();
  return chosen === "sqlite" ? undefined : testDatabaseUrl();
}

/** A connection URL that selects a schema the way the command line reads it (`?schema=`). */
export function urlWithSchema(params: TestSchemaAddress): string {
  const url = new URL(params.url);
  url.searchParams.set("schema", params.schema);
  return url.href;
}

/** Opens a fresh, migrated store on the selected backend. */
export async function openTestStore(params: OpenTestStoreParams = {}): Promise<TestStore> {
  const backend = params.backend ?? testBackend();
  if (backend === "postgres" && testDatabaseUrl() === undefined) {
    throw new Error("a PostgreSQL test store needs OUTPOST_TEST_DATABASE_URL");
  }
  if (backend === "sqlite") {
    const store = await createSqlStore(params.dataDir === undefined ? { url: ":memory:" } : { dataDir: params.dataDir });
    return { ...store, schema: undefined };
  }
  const { url, schema, drop } = reserveTestSchema();
  const store = await openFreshSchema({ url, schema, poolSize: params.poolSize ?? DEFAULT_TEST_POOL_SIZE, drop });
  let closing: Promise<void> | undefined;
  return {
    ...store,
    schema,
    close() {
      // Closing twice (a test's own close and a shared after-hook) drops once.
      closing ??= (async () => {
        try {
          await store.close();
        } finally {
          await drop();
        }
      })();
      return closing;
    },
  };
}
