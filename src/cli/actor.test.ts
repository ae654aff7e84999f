import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { mergeFields, parseField } from "./actor.ts";
import { CliError } from "./cli-error.ts";
import { runOutpost } from "./cli-harness.ts";

describe("outpost actor (as a child process)", () => {
  let dataDir: string;
  let env: Record<string, string>;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "outpost-cli-actor-"));
    env = { OUTPOST_DATA_DIR: dataDir, OUTPOST_ORIGIN: "https://social.example" };
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("creates an actor whose key is kept across processes", async () => {
    const created = await runOutpost({ args: ["actor", "create", "alice", "--name", "Alice"], env });
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /@alice@social\.example/);
    assert.match(created.stdout, /URI: https:\/\/social\.example\/users\/alice\n/);
    const key = /Key: (\S+) \((SHA256:\S+)\)/.exec(created.stdout);
    assert.ok(key, created.stdout);
    assert.equal(key[1], "https://social.example/users/alice#main-key");

    const listed = await runOutpost({ args: ["actor", "list", "--keys"], env });
    assert.equal(listed.code, 0, listed.stderr);
    const row = listed.stdout.split("\n").find((line) => line.startsWith("alice "));
    assert.ok(row, listed.stdout);
    assert.ok(row.includes(key[1] ?? "?"), row);
    assert.ok(row.includes(key[2] ?? "?"), "the same key, not a new one");
    assert.doesNotMatch(listed.stdout, /social\.example\/actor\b/, "the instance actor is not listed");
  });

  it("refuses a taken or invalid username with exit code 1", async () => {
    const taken = await runOutpost({ args: ["actor", "create", "ALICE"], env });
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /already taken/);
    assert.doesNotMatch(taken.stderr, /\n\s+at /, "no stack trace for a user error");

    const invalid = await runOutpost({ args: ["actor", "create", "no-dashes"], env });
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /not a valid username/);
  });

  it("exits with 2 on invalid flags and configuration", async () => {
    const badType = await runOutpost({ args: ["actor", "create", "robot", "--type", "Robot"], env });
    assert.equal(badType.code, 2);
    assert.match(badType.stderr, /Allowed choices are Person/);

    const badPort = await runOutpost({ args: ["actor", "list"], env: { ...env, PORT: "eighty" } });
    assert.equal(badPort.code, 2);
    assert.match(badPort.stderr, /PORT="eighty"/);

    const unknownOption = await runOutpost({ args: ["actor", "list", "--colour"], env });
    assert.equal(unknownOption.code, 2);
  });

  it("will not delete without confirmation when nobody can answer", async () => {
    const refused = await runOutpost({ args: ["actor", "delete", "alice"], env });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /--yes/);
    const listed = await runOutpost({ args: ["actor", "list"], env });
    assert.match(listed.stdout, /^alice /m, "alice is still there");
  });
});

describe("profile fields", () => {
  it("parses Name=Value at the first equals sign", () => {
    assert.deepEqual(parseField({ input: "Website = https://example.com/?a=b" }), { name: "Website", value: "https://example.com/?a=b" });
    assert.throws(() => parseField({ input: "no separator" }), CliError);
    assert.throws(() => parseField({ input: "=value only" }), CliError);
  });

  it("replaces a field of the same name in place and appends new ones", () => {
    const fields = mergeFields({
      current: [
        { name: "Website", value: "https://old.example" },
        { name: "Pronouns", value: "she/her" },
      ],
      added: [
        { name: "website", value: "https://new.example" },
        { name: "Matrix", value: "@alice:example.org" },
      ],
    });
    assert.deepEqual(fields, [
      { name: "website", value: "https://new.example" },
      { name: "Pronouns", value: "she/her" },
      { name: "Matrix", value: "@alice:example.org" },
    ]);
  });
});
