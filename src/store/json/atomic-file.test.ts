import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { nodeFileSystem, writeFileAtomic, type JsonFileSystem } from "./atomic-file.ts";

const tempRoot = mkdtempSync(join(tmpdir(), "outpost-json-atomic-"));
after(() => rmSync(tempRoot, { recursive: true, force: true }));

describe("writeFileAtomic", () => {
  test("replaces the file's content and leaves nothing else behind", async () => {
    const dir = mkdtempSync(join(tempRoot, "ok-"));
    const path = join(dir, "table.json");
    writeFileSync(path, "old");
    await writeFileAtomic({ fs: nodeFileSystem, path, text: "new" });
    assert.equal(readFileSync(path, "utf8"), "new");
    assert.deepEqual(readdirSync(dir), ["table.json"]);
  });

  test("a rename that fails keeps the old content and removes the temporary file", async () => {
    const dir = mkdtempSync(join(tempRoot, "rename-"));
    const path = join(dir, "table.json");
    writeFileSync(path, "old");
    const fs: JsonFileSystem = {
      ...nodeFileSystem,
      rename: async () => {
        throw Object.assign(new Error("I/O error"), { code: "EIO" });
      },
    };
    await assert.rejects(writeFileAtomic({ fs, path, text: "new" }), /I\/O error/);
    assert.equal(readFileSync(path, "utf8"), "old");
    assert.deepEqual(readdirSync(dir), ["table.json"]);
  });

  test("a write that dies halfway keeps the old content and removes the partial file", async () => {
    const dir = mkdtempSync(join(tempRoot, "partial-"));
    const path = join(dir, "table.json");
    writeFileSync(path, "old");
    const fs: JsonFileSystem = {
      ...nodeFileSystem,
      async createDurably(temp, text) {
        writeFileSync(temp, text.slice(0, 2));
        throw Object.assign(new Error("no space left"), { code: "ENOSPC" });
      },
    };
    await assert.rejects(writeFileAtomic({ fs, path, text: "new content" }), /no space left/);
    assert.equal(readFileSync(path, "utf8"), "old");
    assert.deepEqual(readdirSync(dir), ["table.json"]);
  });
});
