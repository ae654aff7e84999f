import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { Kysely, sql } from "kysely";
import { createNodeSqliteDialect, openNodeSqlite } from "./sqlite-dialect.ts";

const tempRoot = mkdtempSync(join(tmpdir(), "outpost-sqlite-"));
after(() => rmSync(tempRoot, { recursive: true, force: true }));

describe("openNodeSqlite", () => {
  test("tells readers from writers and reports changes", () => {
    const db = openNodeSqlite(":memory:");
    try {
      const create = db.prepare("CREATE TABLE t (id INTEGER PRIMARY KEY, flag INTEGER, note TEXT)");
      assert.equal(create.reader, false);
      create.run([]);
      const insert = db.prepare("INSERT INTO t (flag, note) VALUES (?, ?)");
      assert.equal(insert.reader, false);
      assert.deepEqual(insert.run([1, "a"]), { changes: 1, lastInsertRowid: 1 });
      const returning = db.prepare("INSERT INTO t (flag, note) VALUES (?, ?) RETURNING id");
      assert.equal(returning.reader, true);
      assert.deepEqual(returning.all([0, "b"]).map((row) => ({ ...(row as object) })), [{ id: 2 }]);
      const select = db.prepare("SELECT note FROM t WHERE id > ? ORDER BY id");
      assert.equal(select.reader, true);
      assert.deepEqual([...select.iterate([0])].map((row) => (row as { note: string }).note), ["a", "b"]);
    } finally {
      db.close();
    }
  });

  test("answers rows as objects keyed by column, as node:sqlite names them", () => {
    const db = openNodeSqlite(":memory:");
    try {
      db.prepare("CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT, data BLOB)").run([]);
      db.prepare("INSERT INTO t (note, data) VALUES (?, ?), (?, ?)").run(["a", new Uint8Array([1, 2]), null, null]);
      const rows = db.prepare("SELECT id, note, data FROM t ORDER BY id").all([]);
      assert.deepEqual(rows, [
        { id: 1, note: "a", data: new Uint8Array([1, 2]) },
        { id: 2, note: null, data: null },
      ]);
      assert.deepEqual(Object.keys(rows[0] as object), ["id", "note", "data"], "columns keep their order");
      // Joins can name a column twice; the last one wins, as in node:sqlite's own rows.
      const twice = db.prepare("SELECT 1 AS n, 2 AS n").all([]);
      assert.deepEqual({ ...(twice[0] as object) }, { n: 2 });
      // A column called __proto__ stays a column and sets no prototype.
      const proto = db.prepare('SELECT 7 AS "__proto__", 8 AS other').all([]);
      assert.equal(Object.getOwnPropertyDescriptor(proto[0], "__proto__")?.value, 7);
      assert.equal((proto[0] as { other: number }).other, 8);
      assert.deepEqual(
        [...db.prepare("SELECT id, note FROM t ORDER BY id").iterate([])],
        [
          { id: 1, note: "a" },
          { id: 2, note: null },
        ],
      );
    } finally {
      db.close();
    }
  });

  test("keeps rows keyed right when another connection changes a table's columns", () => {
    const path = join(tempRoot, "columns-elsewhere.sqlite");
    const db = openNodeSqlite(path, { walCheckpointer: false });
    const other = openNodeSqlite(path, { walCheckpointer: false });
    try {
      db.prepare("CREATE TABLE t (id INTEGER PRIMARY KEY, gone TEXT, note TEXT)").run([]);
      db.prepare("INSERT INTO t (gone, note) VALUES (?, ?)").run(["x", "kept"]);
      const select = db.prepare("SELECT * FROM t");
      assert.deepEqual(select.all([]), [{ id: 1, gone: "x", note: "kept" }]);
      // SQLite prepares the cached statement anew; its rows lose a column in the middle.
      other.prepare("ALTER TABLE t DROP COLUMN gone").run([]);
      assert.deepEqual(db.prepare("SELECT * FROM t").all([]), [{ id: 1, note: "kept" }]);
      other.prepare("ALTER TABLE t ADD COLUMN added TEXT DEFAULT 'new'").run([]);
      assert.deepEqual(db.prepare("SELECT * FROM t").all([]), [{ id: 1, note: "kept", added: "new" }]);
    } finally {
      other.close();
      db.close();
    }
  });

  test("keeps rows keyed right after its own connection rebuilds a table with its columns reordered", () => {
    const db = openNodeSqlite(":memory:");
    try {
      db.prepare("CREATE TABLE t (a TEXT, b TEXT)").run([]);
      db.prepare("INSERT INTO t VALUES (?, ?)").run(["A", "B"]);
      assert.deepEqual(db.prepare("SELECT * FROM t").all([]), [{ a: "A", b: "B" }]);
      // As a migration rebuilds a table: same number of columns, in another order.
      db.prepare("CREATE TABLE t2 (b TEXT, a TEXT)").run([]);
      db.prepare("INSERT INTO t2 (b, a) SELECT b, a FROM t").run([]);
      db.prepare("DROP TABLE t").run([]);
      db.prepare("ALTER TABLE t2 RENAME TO t").run([]);
      const [row] = db.prepare("SELECT * FROM t").all([]);
      assert.deepEqual(row, { b: "B", a: "A" });
      assert.deepEqual(Object.keys(row as object), ["b", "a"]);
    } finally {
      db.close();
    }
  });

  test("passes booleans as 0/1 and undefined as null", () => {
    const db = openNodeSqlite(":memory:");
    try {
      db.prepare("CREATE TABLE t (flag INTEGER, note TEXT)").run([]);
      db.prepare("INSERT INTO t VALUES (?, ?)").run([true, undefined]);
      db.prepare("INSERT INTO t VALUES (?, ?)").run([false, "x"]);
      const rows = db.prepare("SELECT flag, note FROM t ORDER BY rowid").all([]);
      assert.deepEqual(rows.map((row) => ({ ...(row as object) })), [
        { flag: 1, note: null },
        { flag: 0, note: "x" },
      ]);
    } finally {
      db.close();
    }
  });

  test("reuses prepared statements and keeps only the most recent ones", () => {
    const db = openNodeSqlite(":memory:", { statementCacheSize: 2 });
    try {
      const first = db.prepare("SELECT 1 AS n");
      assert.equal(db.prepare("SELECT 1 AS n"), first);
      db.prepare("SELECT 2 AS n");
      assert.equal(db.prepare("SELECT 1 AS n"), first, "a hit keeps the statement fresh");
      db.prepare("SELECT 3 AS n");
      assert.notEqual(db.prepare("SELECT 2 AS n"), undefined);
      assert.notEqual(db.prepare("SELECT 1 AS n"), first, "the least recently used was evicted");
    } finally {
      db.close();
    }
  });

  test("opens files with WAL, a busy timeout and foreign keys", () => {
    const db = openNodeSqlite(join(tempRoot, "pragmas.sqlite"));
    try {
      const pragma = (name: string) => ({ ...(db.prepare(`PRAGMA ${name}`).all([])[0] as object) });
      assert.deepEqual(pragma("journal_mode"), { journal_mode: "wal" });
      assert.deepEqual(pragma("busy_timeout"), { timeout: 5000 });
      assert.deepEqual(pragma("foreign_keys"), { foreign_keys: 1 });
      assert.deepEqual(pragma("synchronous"), { synchronous: 1 });
    } finally {
      db.close();
    }
  });
});

describe("createNodeSqliteDialect", () => {
  test("runs Kysely queries and transactions", async () => {
    const db = new Kysely<{ t: { id: number; v: string } }>({ dialect: createNodeSqliteDialect(":memory:") });
    try {
      await db.schema.createTable("t").addColumn("id", "integer", (c) => c.primaryKey()).addColumn("v", "text").execute();
      await db.insertInto("t").values({ id: 1, v: "kept" }).execute();
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          await trx.insertInto("t").values({ id: 2, v: "rolled back" }).execute();
          throw new Error("undo");
        }),
        /undo/,
      );
      const rows = await db.selectFrom("t").select(["id", "v"]).execute();
      assert.deepEqual(rows.map((row) => ({ ...row })), [{ id: 1, v: "kept" }]);
      const result = await db.updateTable("t").set({ v: "changed" }).where("id", "=", 1).executeTakeFirst();
      assert.equal(result.numUpdatedRows, 1n);
      const { rows: tx } = await sql<{ n: number }>`SELECT count(*) AS n FROM t`.execute(db);
      assert.equal(tx[0]?.n, 1);
    } finally {
      await db.destroy();
    }
  });
});
