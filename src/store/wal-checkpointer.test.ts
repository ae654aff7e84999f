import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, it } from "node:test";
import { openNodeSqlite } from "./sqlite-dialect.ts";
import {
  BACKSTOP_AUTOCHECKPOINT_PAGES,
  DEFAULT_AUTOCHECKPOINT_PAGES,
  startWalCheckpointer,
  type WalCheckpointer,
} from "./wal-checkpointer.ts";

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function databaseFile(): string {
  const directory = mkdtempSync(join(tmpdir(), "outpost-wal-"));
  directories.push(directory);
  return join(directory, "test.sqlite");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds, for at most `ms`; answers whether it did. */
async function eventually(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await sleep(10);
  }
  return check();
}

/**
 * About 1.2 MB in 300 rows, each written on its own: more writes than it
 * takes to start the thread, and well under SQLite's own threshold of 1,000
 * pages, so the writer checkpoints nothing by itself.
 */
const ROWS = 300;
function writeRows(run: (sql: string) => void): void {
  run("create table notes (id integer primary key, body blob not null)");
  for (let i = 0; i < ROWS; i++) run(`insert into notes (body) values (randomblob(4000))`);
}

function autocheckpointOf(database: DatabaseSync): number {
  return Number((database.prepare("PRAGMA wal_autocheckpoint").get() as Record<string, unknown>).wal_autocheckpoint);
}

type CheckpointerOptions = Omit<Parameters<typeof startWalCheckpointer>[0], "database" | "path">;

/** Runs `body` with a checkpointer over a new WAL database file, closing both after. */
async function withCheckpointer(
  options: CheckpointerOptions,
  body: (database: DatabaseSync, checkpointer: WalCheckpointer) => Promise<void> | void,
): Promise<void> {
  const path = databaseFile();
  const database = new DatabaseSync(path);
  database.exec("PRAGMA journal_mode=WAL");
  const checkpointer = startWalCheckpointer({ database, path, ...options });
  try {
    await body(database, checkpointer);
  } finally {
    await checkpointer.close();
    database.close();
  }
}

describe("the write-ahead log checkpointer", () => {
  it("copies the log into the database file while the store's connection only appends to it", async () => {
    const path = databaseFile();
    // As every store on a file opens it: with the checkpointer's defaults.
    const database = openNodeSqlite(path);
    try {
      writeRows((sql) => database.prepare(sql).run([]));
      const copied = await eventually(() => statSync(path).size > 1_000_000, 5000);
      assert.ok(copied, `the database file holds ${statSync(path).size} bytes`);
      // Everything written is there, read through the store's connection.
      const [counted] = database.prepare("select count(*) as n from notes").all([]) as Array<{ n: number }>;
      assert.equal(Number(counted!.n), ROWS);
    } finally {
      database.close();
      await database.whenClosed();
    }
  });

  it("is what copies the log: without it the file stays as it was until the log is 1,000 pages long", async () => {
    const path = databaseFile();
    const database = openNodeSqlite(path, { walCheckpointer: false });
    try {
      writeRows((sql) => database.prepare(sql).run([]));
      await sleep(300);
      assert.ok(statSync(path).size < 100_000, `the database file holds ${statSync(path).size} bytes`);
      const [counted] = database.prepare("select count(*) as n from notes").all([]) as Array<{ n: number }>;
      assert.equal(Number(counted!.n), ROWS, "the rows are in the log");
    } finally {
      database.close();
    }
  });

  it("raises the connection's own threshold while it runs, and gives it back after writes stop", () =>
    withCheckpointer({ writesBeforeStart: 3, intervalMs: 10, idleMs: 150 }, async (database, checkpointer) => {
      checkpointer.noteWrite();
      checkpointer.noteWrite();
      assert.equal(checkpointer.running(), false, "two writes are no burst");
      checkpointer.noteWrite();
      assert.equal(checkpointer.running(), true);
      assert.equal(autocheckpointOf(database), BACKSTOP_AUTOCHECKPOINT_PAGES);
      assert.ok(await eventually(() => !checkpointer.running(), 2000), "it stops once writes stop");
      assert.equal(autocheckpointOf(database), DEFAULT_AUTOCHECKPOINT_PAGES);
    }));

  it("lets go of the database file once closed, while its thread starts or makes a last checkpoint", async () => {
    for (const settleMs of [0, 5, 30, 120]) {
      const path = databaseFile();
      const database = openNodeSqlite(path, { walCheckpointer: { writesBeforeStart: 1, intervalMs: 10, idleMs: 20 } });
      writeRows((sql) => database.prepare(sql).run([]));
      // By now the thread is starting, checkpointing, or, after 20 ms without writes, making its last checkpoint.
      await sleep(settleMs);
      database.close();
      await database.whenClosed();
      // The last connection to close removes the log; a thread still holding the file would keep it.
      assert.deepEqual(readdirSync(dirname(path)), ["test.sqlite"], `after ${settleMs} ms`);
    }
  });

  it("counts writes spread over a long time afresh, and starts only for a burst", () =>
    withCheckpointer({ writesBeforeStart: 3, intervalMs: 10, idleMs: 100 }, async (_database, checkpointer) => {
      checkpointer.noteWrite();
      checkpointer.noteWrite();
      await sleep(150);
      checkpointer.noteWrite();
      checkpointer.noteWrite();
      assert.equal(checkpointer.running(), false);
      checkpointer.noteWrite();
      assert.equal(checkpointer.running(), true);
    }));

  it("checkpoints every few milliseconds while the log is long, so that it catches up between commits", () =>
    // Checkpoints a second apart, unless the log is 50 pages long: the rows below make it far longer.
    withCheckpointer(
      { writesBeforeStart: 1, intervalMs: 1000, catchUpPages: 50, catchUpIntervalMs: 5 },
      async (database, checkpointer) => {
        const path = database.location()!;
        writeRows((sql) => database.exec(sql));
        // A reader of the log as it is now keeps it from starting afresh: the row written below goes to its end,
        // and no checkpoint may copy that row until the reader is done.
        const reader = new DatabaseSync(path);
        reader.exec("begin");
        reader.prepare("select count(*) from notes").get();
        try {
          checkpointer.noteWrite();
          assert.ok(await eventually(() => statSync(path).size > 1_000_000, 5000), "the first checkpoint copied the rows");
          database.exec("insert into notes (body) values (randomblob(4000))");
          checkpointer.noteWrite();
          await sleep(50);
        } finally {
          reader.exec("commit");
          reader.close();
        }
        const copied = statSync(path).size;
        // The log is still long, so the next checkpoint comes within milliseconds, not a second after the last.
        assert.ok(
          await eventually(() => statSync(path).size > copied, 400),
          "the row written behind the reader was copied within milliseconds of its release",
        );
      },
    ));

  it("leaves checkpoints to the connection for good when its thread dies", () => {
    const failing = new URL(`data:text/javascript,${encodeURIComponent('throw new Error("no checkpoints here")')}`);
    return withCheckpointer({ writesBeforeStart: 1, intervalMs: 10, threadUrl: failing }, async (database, checkpointer) => {
      checkpointer.noteWrite();
      assert.ok(await eventually(() => !checkpointer.running(), 2000), "the dead thread is let go");
      assert.equal(autocheckpointOf(database), DEFAULT_AUTOCHECKPOINT_PAGES);
      checkpointer.noteWrite();
      assert.equal(checkpointer.running(), false, "not started again");
    });
  });
});
