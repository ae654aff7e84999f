import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { sql } from "kysely";
import pg from "pg";
import { localActor, localUri } from "./contract/fixtures.ts";
import { createSqlStore, type SqlStore } from "./sql-store.ts";
import { runStoreContract } from "./store-contract.ts";

const postgresUrl = process.env.OUTPOST_TEST_DATABASE_URL;
const tempRoot = mkdtempSync(join(tmpdir(), "outpost-store-"));
after(() => rmSync(tempRoot, { recursive: true, force: true }));

let fileCount = 0;
function freshDataDir(): string {
  return join(tempRoot, `data-${fileCount++}`);
}

runStoreContract("SQL store on SQLite in memory", () => createSqlStore({ url: ":memory:" }));
runStoreContract("SQL store on a SQLite file", () => createSqlStore({ dataDir: freshDataDir() }));

/** Opens PostgreSQL stores, each in a new schema that is dropped when the store closes. */
function postgresStores(url: string) {
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  const live = new Set<string>();
  const drop = async (schema: string) => {
    live.delete(schema);
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  };
  after(async () => {
    for (const schema of [...live]) await drop(schema);
    await admin.end();
  });
  return {
    newSchema(): string {
      const schema = `outpost_test_${randomBytes(6).toString("hex")}`;
      live.add(schema);
      return schema;
    },
    async open(schema: string): Promise<SqlStore> {
      return createSqlStore({ url, schema, poolSize: 8 });
    },
    /** A store in a schema of its own, dropped on close. */
    async openFresh(): Promise<SqlStore> {
      const schema = this.newSchema();
      const store = await this.open(schema);
      return {
        ...store,
        close: async () => {
          await store.close();
          await drop(schema);
        },
      };
    },
    drop,
  };
}

const postgres = postgresUrl === undefined ? undefined : postgresStores(postgresUrl);
if (postgres !== undefined) {
  runStoreContract("SQL store on PostgreSQL", () => postgres.openFresh());
}

const sqlStoreModule = fileURLToPath(new URL("./sql-store.ts", import.meta.url));

/** Claims every job of the queue in small batches from another process. */
async function claimInChildProcess(file: string, workerId: string): Promise<string[]> {
  const script = `
    const { createSqlStore } = await import(${JSON.stringify(sqlStoreModule)});
    const store = await createSqlStore({ url: ${JSON.stringify(file)} });
    const ids = [];
    for (;;) {
      const jobs = await store.jobs.claim({ queues: ["q"], limit: 3, workerId: ${JSON.stringify(workerId)}, leaseMs: 600000, now: new Date() });
      if (jobs.length === 0) break;
      for (const job of jobs) ids.push(job.id);
    }
    await store.close();
    process.stdout.write(JSON.stringify(ids));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script]);
  return JSON.parse(stdout) as string[];
}

describe("SQL store on SQLite", () => {
  test("opens at dataDir/outpost.sqlite, creating the directory", async () => {
    const dataDir = join(freshDataDir(), "nested", "deeper");
    const store = await createSqlStore({ dataDir });
    try {
      assert.equal(store.dialect, "sqlite");
      assert.equal(existsSync(join(dataDir, "outpost.sqlite")), true);
    } finally {
      await store.close();
    }
  });

  test("needs a url or a dataDir", async () => {
    await assert.rejects(createSqlStore({}), /url or a dataDir/);
  });

  test("keeps data across reopening, and migrating again changes nothing", async () => {
    const url = join(freshDataDir(), "store.sqlite");
    const first = await createSqlStore({ url });
    await first.actors.put(localActor("alice"));
    await first.close();
    const second = await createSqlStore({ url: `sqlite:${url}` });
    try {
      await second.migrate();
      assert.deepEqual(await second.actors.get(localUri("alice")), localActor("alice"));
    } finally {
      await second.close();
    }
  });

  test("uses write-ahead logging so the CLI and the server can share the file", async () => {
    const store = await createSqlStore({ dataDir: freshDataDir() });
    try {
      const { rows } = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(store.db);
      assert.equal(rows[0]?.journal_mode, "wal");
    } finally {
      await store.close();
    }
  });

  test("processes sharing a file never claim the same job", async () => {
    const url = join(freshDataDir(), "shared.sqlite");
    const store = await createSqlStore({ url });
    try {
      const total = 150;
      await store.jobs.enqueue(Array.from({ length: total }, (_, i) => ({ queue: "q", payload: i })));
      const batches = await Promise.all(["a", "b", "c"].map((worker) => claimInChildProcess(url, worker)));
      const ids = batches.flat();
      assert.equal(new Set(ids).size, ids.length, "a job was claimed twice");
      assert.equal(ids.length, total);
    } finally {
      await store.close();
    }
  });

  test("a cursor that is not a seq gives an empty page", async () => {
    const store = await createSqlStore({ url: ":memory:" });
    try {
      await store.collections.add({ collectionUri: "c", itemUri: "i", addedAt: "2024-01-01T00:00:00.000Z" });
      assert.deepEqual(await store.collections.list("c", { limit: 5, before: "not-a-cursor" }), {
        items: [],
        next: null,
        prev: null,
      });
      assert.deepEqual(await store.collections.list("c", { limit: 5, after: "-1" }), { items: [], next: null, prev: null });
      assert.equal((await store.collections.list("c", { limit: 5, before: "" })).items.length, 1);
    } finally {
      await store.close();
    }
  });

  test("calls through the outer store inside a transaction join it instead of waiting forever", async () => {
    const store = await createSqlStore({ url: ":memory:" });
    try {
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.actors.put(localActor("alice"));
          // A helper that only knows the outer store sees the transaction's writes...
          assert.equal((await store.actors.getLocal("alice"))?.username, "alice");
          await store.actors.put(localActor("bob"));
          throw new Error("roll back");
        }),
        /roll back/,
      );
      // ...and its own writes roll back with it.
      assert.equal(await store.actors.getLocal("alice"), null);
      assert.equal(await store.actors.getLocal("bob"), null);
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      let later: Promise<unknown> | undefined;
      await store.transaction(async () => {
        later = gate.then(() => store.actors.getLocal("carol"));
      });
      // Work that outlives the transaction uses the database again.
      await store.actors.put(localActor("carol"));
      open();
      assert.equal(((await later) as { username: string } | null)?.username, "carol");
    } finally {
      await store.close();
    }
  });

  // Reads outside a transaction may run on SQLite's connection directly, which must not put them inside another's transaction.
  test("a read from outside an open transaction never sees its uncommitted writes", async () => {
    const store = await createSqlStore({ url: ":memory:" });
    try {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      let written!: () => void;
      const wrote = new Promise<void>((resolve) => (written = resolve));
      const failed = store.transaction(async (tx) => {
        await tx.actors.put(localActor("dave"));
        written();
        await gate;
        throw new Error("roll back");
      });
      await wrote;
      // Started outside the transaction's callback while the transaction is open.
      const read = store.actors.getLocal("dave");
      let settled = false;
      void read.then(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(settled, false, "the read waits for the open transaction");
      open();
      await assert.rejects(failed, /roll back/);
      assert.equal(await read, null);

      await store.transaction(async (tx) => {
        await tx.actors.put(localActor("erin"));
      });
      assert.equal((await store.actors.getLocal("erin"))?.username, "erin");
    } finally {
      await store.close();
    }
  });

  test("a transaction's store cannot close the store", async () => {
    const store = await createSqlStore({ url: ":memory:" });
    try {
      await assert.rejects(store.transaction((tx) => tx.close()), /cannot be closed/);
      await store.actors.put(localActor("alice"));
    } finally {
      await store.close();
    }
  });
});

// Registered only when a database is given, so that no test is reported as skipped.
if (postgres !== undefined) describe("SQL store on PostgreSQL", () => {
  test("rejects a schema name that is not a plain identifier", async () => {
    await assert.rejects(createSqlStore({ url: postgresUrl!, schema: 'x"; drop table y; --' }), /schema name/);
  });

  test("a store opens while other schemas of the database are being dropped", async () => {
    // Schemas come and go under a shared database (test runs, tenants); opening
    // one store must not depend on the rest of the catalog holding still.
    const churn = Array.from({ length: 6 }, () => postgres!.newSchema());
    for (const schema of churn) await (await postgres!.open(schema)).close();
    const opening = Array.from({ length: 4 }, () => postgres!.newSchema());
    const stores = await Promise.all([
      ...opening.map((schema) => postgres!.open(schema)),
      ...churn.map((schema) => postgres!.drop(schema).then(() => null)),
    ]);
    try {
      assert.equal(stores.filter((store) => store !== null).length, opening.length);
    } finally {
      for (const store of stores) await store?.close();
      for (const schema of opening) await postgres!.drop(schema);
    }
  });

  test("stores in different schemas of one database open side by side and keep apart", async () => {
    const [first, second] = [postgres!.newSchema(), postgres!.newSchema()];
    const a = await postgres!.open(first);
    try {
      const b = await postgres!.open(second);
      try {
        await a.actors.put(localActor("alice"));
        assert.equal(await b.actors.get(localUri("alice")), null);
      } finally {
        await b.close();
        await postgres!.drop(second);
      }
    } finally {
      await a.close();
      await postgres!.drop(first);
    }
  });

  test("stores sharing a schema never claim the same job, and share data", async () => {
    const schema = postgres!.newSchema();
    const stores = [await postgres!.open(schema), await postgres!.open(schema), await postgres!.open(schema)];
    try {
      assert.equal(stores[0]!.dialect, "postgres");
      const total = 200;
      await stores[0]!.jobs.enqueue(Array.from({ length: total }, (_, i) => ({ queue: "q", payload: i })));
      const claimAll = async (store: SqlStore, worker: string) => {
        const ids: string[] = [];
        for (;;) {
          const jobs = await store.jobs.claim({ queues: ["q"], limit: 4, workerId: worker, leaseMs: 600_000, now: new Date() });
          if (jobs.length === 0) return ids;
          ids.push(...jobs.map((job) => job.id));
        }
      };
      const batches = await Promise.all(
        stores.flatMap((store, s) => [claimAll(store, `w${s}a`), claimAll(store, `w${s}b`)]),
      );
      const ids = batches.flat();
      assert.equal(new Set(ids).size, ids.length, "a job was claimed twice");
      assert.equal(ids.length, total);
      await stores[1]!.actors.put(localActor("alice"));
      assert.notEqual(await stores[2]!.actors.get(localUri("alice")), null);
    } finally {
      for (const store of stores) await store.close();
      await postgres!.drop(schema);
    }
  });
});
