import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { nodeFileSystem, type JsonFileSystem } from "./atomic-file.ts";
import {
  checkSchemaVersion,
  CURRENT_SCHEMA_VERSION,
  migrateToCurrent,
  SCHEMA_VERSION_FILE,
  VERSION_1_FILE,
} from "./schema-version.ts";
import { loadTableFiles } from "./table-files.ts";

const tempRoot = mkdtempSync(join(tmpdir(), "outpost-json-version-"));
after(() => rmSync(tempRoot, { recursive: true, force: true }));

const fs = nodeFileSystem;

function version1Dir(tables: Record<string, { nextSeq: number; rows: unknown[] }>): string {
  const dir = mkdtempSync(join(tempRoot, "v1-"));
  writeFileSync(join(dir, VERSION_1_FILE), JSON.stringify({ tables }));
  writeFileSync(join(dir, SCHEMA_VERSION_FILE), JSON.stringify({ version: 1 }));
  return dir;
}

/** A version 2 directory: one file per table, without the interaction tables. */
function version2Dir(): string {
  const dir = mkdtempSync(join(tempRoot, "v2-"));
  writeFileSync(join(dir, "host-health.json"), JSON.stringify({ table: "hostHealth", nextSeq: 1, rows: [host] }));
  writeFileSync(join(dir, SCHEMA_VERSION_FILE), JSON.stringify({ version: 2 }));
  return dir;
}

const host = { host: "flaky.example", failures: 3, lastFailureAt: null, backoffUntil: null };
const entry = { seq: 4, actorUri: "https://local.example/users/alice", activityUri: "https://remote.example/a/1", receivedAt: "t" };

describe("schema version", () => {
  test("an empty directory is new; current, older and newer versions are told apart", async () => {
    const dir = mkdtempSync(join(tempRoot, "check-"));
    assert.deepEqual(await checkSchemaVersion({ fs, dir }), { ok: true, kind: "new" });
    writeFileSync(join(dir, SCHEMA_VERSION_FILE), JSON.stringify({ version: CURRENT_SCHEMA_VERSION }));
    assert.deepEqual(await checkSchemaVersion({ fs, dir }), { ok: true, kind: "current", version: CURRENT_SCHEMA_VERSION });
    writeFileSync(join(dir, SCHEMA_VERSION_FILE), JSON.stringify({ version: 1 }));
    assert.deepEqual(await checkSchemaVersion({ fs, dir }), { ok: true, kind: "older", version: 1 });
    writeFileSync(join(dir, SCHEMA_VERSION_FILE), JSON.stringify({ version: 99 }));
    const newer = await checkSchemaVersion({ fs, dir });
    assert.equal(newer.ok ? "ok" : newer.reason, "newer");
    writeFileSync(join(dir, SCHEMA_VERSION_FILE), "{\"version\": \"two\"}");
    const damaged = await checkSchemaVersion({ fs, dir });
    assert.equal(damaged.ok ? "ok" : damaged.reason, "damaged");
  });

  test("1 → 2 splits outpost.json into table files, and 2 → 3 adds the interaction tables", async () => {
    const dir = version1Dir({ hostHealth: { nextSeq: 1, rows: [host] }, inboxEntries: { nextSeq: 5, rows: [entry] } });
    const result = await migrateToCurrent({ fs, dir, from: 1 });
    assert.deepEqual(result, {
      ok: true,
      from: 1,
      to: 3,
      applied: [
        "1 → 2: split outpost.json into one file per table",
        "2 → 3: add interactions.json and quote-authorizations.json",
      ],
    });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, SCHEMA_VERSION_FILE), "utf8")), { version: 3 });
    assert.equal(existsSync(join(dir, VERSION_1_FILE)), false);
    const tables = await loadTableFiles({ fs, dir });
    assert.deepEqual(tables.rows.hostHealth.get("flaky.example"), host);
    assert.equal(tables.nextSeq.inboxEntries, 5);
    assert.equal(tables.rows.actors.size, 0);
  });

  test("a version 1 file naming a table that version 2 did not have is refused", async () => {
    const dir = version1Dir({ interactions: { nextSeq: 1, rows: [] } });
    const result = await migrateToCurrent({ fs, dir, from: 1 });
    assert.ok(!result.ok);
    assert.match(result.message, /unknown tables: interactions/);
  });

  test("2 → 3 adds empty interaction tables to a version 2 directory and leaves its data alone", async () => {
    const dir = version2Dir();
    const before = readFileSync(join(dir, "host-health.json"), "utf8");
    const result = await migrateToCurrent({ fs, dir, from: 2 });
    assert.deepEqual(result, {
      ok: true,
      from: 2,
      to: 3,
      applied: ["2 → 3: add interactions.json and quote-authorizations.json"],
    });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, SCHEMA_VERSION_FILE), "utf8")), { version: 3 });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, "interactions.json"), "utf8")), { table: "interactions", nextSeq: 1, rows: [] });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, "quote-authorizations.json"), "utf8")), {
      table: "quoteAuthorizations",
      nextSeq: 1,
      rows: [],
    });
    assert.equal(readFileSync(join(dir, "host-health.json"), "utf8"), before);
    const tables = await loadTableFiles({ fs, dir });
    assert.equal(tables.rows.interactions.size, 0);
    assert.equal(tables.rows.quoteAuthorizations.size, 0);
    assert.deepEqual(tables.rows.hostHealth.get("flaky.example"), host);
  });

  test("2 → 3 run again after a crash keeps what the first run wrote", async () => {
    const dir = version2Dir();
    let renames = 0;
    const crashing: JsonFileSystem = {
      ...fs,
      async rename(from, to) {
        // Dies once the first new table file is in place, before the version file.
        if (++renames > 1) throw new Error("power cut");
        return fs.rename(from, to);
      },
    };
    const failed = await migrateToCurrent({ fs: crashing, dir, from: 2 });
    assert.equal(failed.ok ? "ok" : failed.reason, "step-failed");
    assert.deepEqual(JSON.parse(readFileSync(join(dir, SCHEMA_VERSION_FILE), "utf8")), { version: 2 });
    assert.equal(existsSync(join(dir, "interactions.json")), true);
    assert.equal(existsSync(join(dir, "quote-authorizations.json")), false);

    // A table file already there is kept as it is, never emptied by the rerun.
    const kept = {
      table: "interactions",
      nextSeq: 8,
      rows: [
        {
          seq: 7,
          uri: "https://remote.example/likes/1",
          kind: "like",
          targetUri: "https://local.example/users/alice/objects/1",
          localActorUri: "https://local.example/users/alice",
          actorUri: "https://remote.example/users/bob",
          content: null,
          published: null,
          updated: null,
          visibility: "public",
          document: { type: "Like" },
          createdAt: "2024-01-01T00:00:00.000Z",
          deletedAt: null,
        },
      ],
    };
    writeFileSync(join(dir, "interactions.json"), JSON.stringify(kept));
    assert.equal((await migrateToCurrent({ fs, dir, from: 2 })).ok, true);
    const tables = await loadTableFiles({ fs, dir });
    assert.equal(tables.rows.interactions.size, 1);
    assert.equal(tables.nextSeq.interactions, 8);
    assert.equal(tables.rows.quoteAuthorizations.size, 0);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, SCHEMA_VERSION_FILE), "utf8")), { version: 3 });
  });

  test("a migration interrupted before its version is written runs again to the same end", async () => {
    const dir = version1Dir({ hostHealth: { nextSeq: 1, rows: [host] } });
    let renames = 0;
    const crashing: JsonFileSystem = {
      ...fs,
      async rename(from, to) {
        // Dies after a few table files are in place, before the version file.
        if (++renames > 3) throw new Error("power cut");
        return fs.rename(from, to);
      },
    };
    const failed = await migrateToCurrent({ fs: crashing, dir, from: 1 });
    assert.equal(failed.ok ? "ok" : failed.reason, "step-failed");
    assert.deepEqual(JSON.parse(readFileSync(join(dir, SCHEMA_VERSION_FILE), "utf8")), { version: 1 });
    assert.equal(existsSync(join(dir, VERSION_1_FILE)), true);

    assert.equal((await migrateToCurrent({ fs, dir, from: 1 })).ok, true);
    assert.deepEqual((await loadTableFiles({ fs, dir })).rows.hostHealth.get("flaky.example"), host);
  });

  test("a version without a step forward is reported, not skipped", async () => {
    const dir = mkdtempSync(join(tempRoot, "gap-"));
    const result = await migrateToCurrent({ fs, dir, from: 1, migrations: [] });
    assert.equal(result.ok ? "ok" : result.reason, "no-step");
  });

  test("a damaged outpost.json fails the step and names the file", async () => {
    const dir = mkdtempSync(join(tempRoot, "damaged-"));
    writeFileSync(join(dir, VERSION_1_FILE), "{ not json");
    const result = await migrateToCurrent({ fs, dir, from: 1 });
    assert.ok(!result.ok);
    assert.match(result.message, /outpost\.json is damaged/);
  });
});
