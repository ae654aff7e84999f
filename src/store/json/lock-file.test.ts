import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { acquireLock, judgeLock, LOCK_FILE, parseLockContent } from "./lock-file.ts";

const tempRoot = mkdtempSync(join(tmpdir(), "outpost-json-lock-"));
after(() => rmSync(tempRoot, { recursive: true, force: true }));

describe("lock content", () => {
  test("a pid, with or without a newline, is read; anything else is not", () => {
    assert.equal(parseLockContent("1234\n"), 1234);
    assert.equal(parseLockContent(" 77 "), 77);
    assert.equal(parseLockContent(""), null);
    assert.equal(parseLockContent("0"), null);
    assert.equal(parseLockContent("12ab"), null);
    assert.equal(parseLockContent("-5"), null);
  });

  test("a running process holds the lock; a dead one, or an earlier process with our pid, does not", () => {
    const running = (pid: number) => pid === 10;
    assert.deepEqual(judgeLock({ content: "10\n", ownPid: 99, isRunning: running }), { state: "live", pid: 10 });
    assert.deepEqual(judgeLock({ content: "11\n", ownPid: 99, isRunning: running }), { state: "stale", pid: 11 });
    assert.deepEqual(judgeLock({ content: "99\n", ownPid: 99, isRunning: () => true }), { state: "stale", pid: 99 });
    assert.deepEqual(judgeLock({ content: "?", ownPid: 99, isRunning: running }), { state: "unreadable", content: "?" });
  });
});

describe("acquireLock", () => {
  test("takes a free lock with our pid and gives it back on release", async () => {
    const dir = mkdtempSync(join(tempRoot, "free-"));
    const result = await acquireLock({ dir });
    assert.ok(result.ok);
    assert.equal(result.tookOverFrom, null);
    assert.equal(readFileSync(join(dir, LOCK_FILE), "utf8"), `${process.pid}\n`);
    const again = await acquireLock({ dir });
    assert.equal(again.ok ? "ok" : again.reason, "held");
    await result.lock.release();
    const later = await acquireLock({ dir });
    assert.ok(later.ok);
    await later.lock.release();
  });

  test("two opens racing in one process: exactly one gets the lock", async () => {
    const dir = mkdtempSync(join(tempRoot, "race-"));
    const results = await Promise.all([acquireLock({ dir }), acquireLock({ dir })]);
    assert.deepEqual(results.map((result) => result.ok).sort(), [false, true]);
    for (const result of results) if (result.ok) await result.lock.release();
  });

  test("takes over the lock of a process that is gone, and refuses that of one that runs", async () => {
    const dir = mkdtempSync(join(tempRoot, "stale-"));
    writeFileSync(join(dir, LOCK_FILE), "4242\n");
    const refused = await acquireLock({ dir, isRunning: () => true });
    assert.equal(refused.ok ? "ok" : refused.reason, "held");
    const taken = await acquireLock({ dir, isRunning: () => false });
    assert.ok(taken.ok);
    assert.equal(taken.tookOverFrom, 4242);
    await taken.lock.release();
  });

  test("release leaves alone a lock that is no longer ours", async () => {
    const dir = mkdtempSync(join(tempRoot, "broken-"));
    const result = await acquireLock({ dir });
    assert.ok(result.ok);
    writeFileSync(join(dir, LOCK_FILE), "4242\n");
    await result.lock.release();
    assert.equal(readFileSync(join(dir, LOCK_FILE), "utf8"), "4242\n");
  });
});
