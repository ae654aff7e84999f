import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { after, test } from "node:test";
import { CommanderError } from "commander";
import { sqlAccountStoreOf } from "../store/sql-account-store.ts";
import { createSqlStore } from "../store/sql-store.ts";
import { hashSecret } from "../federation/accounts/secrets.ts";
import { CliError } from "./cli-error.ts";
import type { CliIo } from "./command-kit.ts";
import { buildProgram } from "./program.ts";
import { registerTokenCommands } from "./token.ts";
import { registerUserCommands } from "./user.ts";

const dataDir = mkdtempSync(join(tmpdir(), "outpost-cli-users-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `outpost <args>` in this process, with `stdin` as standard input (not a terminal). */
async function outpost(args: readonly string[], stdin = ""): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const io: CliIo = {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: Readable.from([Buffer.from(stdin)]) as unknown as NodeJS.ReadStream,
    env: { OUTPOST_DATA_DIR: dataDir, OUTPOST_ORIGIN: "https://cli.test", OUTPOST_LOG_LEVEL: "silent" },
    cwd: dataDir,
  };
  const program = buildProgram({ io });
  // The program may already carry these commands; add them only when it does not.
  if (!program.commands.some((command) => command.name() === "user")) registerUserCommands({ program, io });
  if (!program.commands.some((command) => command.name() === "token")) registerTokenCommands({ program, io });
  for (const command of program.commands) command.exitOverride();
  let code = 0;
  try {
    await program.parseAsync([...args], { from: "user" });
  } catch (error) {
    if (error instanceof CliError) {
      code = error.exitCode;
      err += error.message;
    } else if (error instanceof CommanderError) {
      code = 2;
    } else {
      throw error;
    }
  }
  return { code, stdout: out, stderr: err };
}

test("users are created with a password from standard input, listed, changed and deleted", async () => {
  const created = await outpost(["user", "create", "root", "--admin", "--password-stdin"], "a long secret\n");
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /Created admin user root/);
  const duplicate = await outpost(["user", "create", "ROOT"], "another secret\n");
  assert.notEqual(duplicate.code, 0);
  assert.match(duplicate.stderr, /already taken/);
  const weak = await outpost(["user", "create", "weakling"], "short\n");
  assert.notEqual(weak.code, 0);
  assert.match(weak.stderr, /at least 8/);

  assert.equal((await outpost(["user", "create", "alice"], "alice's secret\n")).code, 0);
  const listed = await outpost(["user", "list"]);
  assert.match(listed.stdout, /root\s+yes/);
  assert.match(listed.stdout, /alice\s+no/);

  const token = await outpost(["token", "create", "alice", "--scopes", "read,write", "--expires", "30d"]);
  assert.equal(token.code, 0, token.stderr);
  const value = token.stdout.trim();
  assert.match(value, /^opat_[A-Za-z0-9_-]{43}$/);

  const store = await createSqlStore({ dataDir });
  try {
    const accounts = sqlAccountStoreOf(store)!;
    const stored = await accounts.tokens.getByHash(hashSecret({ secret: value }));
    assert.deepEqual(stored?.scopes, ["read", "write"]);
    const days = (Date.parse(stored!.expiresAt!) - Date.parse(stored!.createdAt)) / 86_400_000;
    assert.equal(Math.round(days), 30);
  } finally {
    await store.close();
  }

  const changed = await outpost(["user", "passwd", "alice", "--password-stdin"], "a newer secret\n");
  assert.equal(changed.code, 0);
  assert.match(changed.stdout, /1 token\(s\) revoked/);
  const deleted = await outpost(["user", "delete", "alice"]);
  assert.equal(deleted.code, 0);
  assert.doesNotMatch((await outpost(["user", "list"])).stdout, /alice/);
});

test("token create refuses unknown users, scopes and durations", async () => {
  assert.equal((await outpost(["user", "create", "bob"], "bob's secret\n")).code, 0);
  assert.notEqual((await outpost(["token", "create", "nobody", "--scopes", "read"])).code, 0);
  const scope = await outpost(["token", "create", "bob", "--scopes", "read,everything"]);
  assert.notEqual(scope.code, 0);
  assert.match(scope.stderr, /unknown scope "everything"/);
  const expiry = await outpost(["token", "create", "bob", "--scopes", "read", "--expires", "soon"]);
  assert.equal(expiry.code, 2);
  assert.notEqual((await outpost(["token", "create", "bob", "--scopes", "admin:read"])).code, 0);
});
