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

  test("1 → 2 splits outpost.json into table files and records version 2", async () => {
    const dir = version1Dir({ hostHealth: { nextSeq: 1, rows: [host] }, inboxEntries: { nextSeq: 5, rows: [entry] } });
    const result = await migrateToCurrent({ fs, dir, from: 1 });
    assert.deepEqual(result, { ok: true, from: 1, to: 2, applied: ["1 → 2: split outpost.json into one file per table"] });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, SCHEMA_VERSION_FILE), "utf8")), { version: 2 });
    assert.equal(existsSync(join(dir, VERSION_1_FILE)), false);
    const tables = await loadTableFiles({ fs, dir });
    assert.deepEqual(tables.rows.hostHealth.get("flaky.example"), host);
    assert.equal(tables.nextSeq.inboxEntries, 5);
    assert.equal(tables.rows.actors.size, 0);
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
