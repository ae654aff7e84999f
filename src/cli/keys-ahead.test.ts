import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { generateRsaKeyPair, keyPairsGeneratedAhead } from "../crypto/keys.ts";
import { generateFirstStartKeysAhead } from "./keys-ahead.ts";

describe("generateFirstStartKeysAhead", () => {
  const root = mkdtempSync(join(tmpdir(), "outpost-keys-ahead-"));
  const existing = join(root, "existing");
  mkdirSync(existing);
  writeFileSync(join(existing, "outpost.sqlite"), "");

  after(async () => {
    // Keys begun by the cases below are taken, so that none is left for other tests in this process.
    while (keyPairsGeneratedAhead() > 0) await generateRsaKeyPair();
    rmSync(root, { recursive: true, force: true });
  });

  const begun = (argv: string[], env: Record<string, string> = {}) =>
    generateFirstStartKeysAhead({ argv, env, cwd: root });

  it("begins the instance actor's key for `serve` on a data directory without a database", () => {
    const before = keyPairsGeneratedAhead();
    assert.equal(begun(["serve"]), 1); // ./data under the working directory
    assert.equal(begun(["--data-dir", join(root, "new"), "serve", "--role", "web"]), 1);
    assert.equal(begun(["--port=8080", "--data-dir=fresh", "serve"]), 1);
    assert.equal(begun(["serve"], { OUTPOST_DATA_DIR: "elsewhere" }), 1);
    assert.equal(keyPairsGeneratedAhead(), before + 4);
  });

  it("begins nothing when the database exists, is PostgreSQL, or the command is not serve", () => {
    const before = keyPairsGeneratedAhead();
    assert.equal(begun(["--data-dir", existing, "serve"]), 0);
    assert.equal(begun(["serve"], { OUTPOST_DATA_DIR: existing }), 0);
    assert.equal(begun(["--database-url", "postgres://db/outpost", "serve"]), 0);
    assert.equal(begun(["serve"], { OUTPOST_DATABASE_URL: "postgres://db/outpost" }), 0);
    assert.equal(begun(["--data-dir", "serve", "user", "create", "alice"]), 0);
    assert.equal(begun(["post", "serve these"]), 0);
    assert.equal(begun(["--help"]), 0);
    assert.equal(keyPairsGeneratedAhead(), before);
  });
});
