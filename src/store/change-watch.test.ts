import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { createChangeWatch, type ChangeWatchSink } from "./change-watch.ts";
import { openNodeSqlite } from "./sqlite-dialect.ts";

describe("change watch", () => {
  const dir = mkdtempSync(join(tmpdir(), "outpost-change-watch-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A connection as the store opens it, watched, and a second plain connection to the same file. */
  const open = (name: string) => {
    const path = join(dir, name);
    const changes: ChangeWatchSink = createChangeWatch();
    const connection = openNodeSqlite(path, { changes, walCheckpointer: false });
    connection.prepare("CREATE TABLE t (x INTEGER)").run([]);
    const other = new DatabaseSync(path);
    other.exec("PRAGMA busy_timeout=5000");
    return {
      changes,
      connection,
      other,
      [Symbol.dispose]() {
        other.close();
        connection.close();
      },
    };
  };

  test("reads other connections' commits from the WAL index of a file", () => {
    using db = open("wal-index.sqlite");
    assert.equal(db.changes.via(), "wal-index");
    const first = db.changes.token();
    assert.equal(db.changes.token(), first, "nothing written, same token");
    db.other.exec("INSERT INTO t VALUES (1)");
    const second = db.changes.token();
    assert.notEqual(second, first);
    assert.equal(db.changes.token(), second);
  });

  test("sees a commit after another connection restarted the log", () => {
    using db = open("restart.sqlite");
    db.other.exec("INSERT INTO t VALUES (1)");
    const before = db.changes.token();
    db.other.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    db.other.exec("INSERT INTO t VALUES (2)");
    assert.notEqual(db.changes.token(), before);
  });

  test("counts the connection's own writes", () => {
    using db = open("own.sqlite");
    const first = db.changes.token();
    db.connection.prepare("INSERT INTO t VALUES (?)").run([1]);
    assert.notEqual(db.changes.token(), first);
  });

  test("falls back to the data version for a database in memory, and stops when closed", () => {
    const changes = createChangeWatch();
    const connection = openNodeSqlite(":memory:", { changes });
    assert.equal(changes.via(), "data-version");
    const first = changes.token();
    assert.equal(changes.token(), first);
    connection.prepare("CREATE TABLE t (x INTEGER)").run([]);
    assert.notEqual(changes.token(), first);
    connection.close();
    assert.equal(changes.via(), undefined);
    assert.equal(changes.token(), undefined);
  });
});
