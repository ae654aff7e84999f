import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { readdirSync } from "node:fs";
import { getPriority } from "node:os";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { planRequestSignature, verifyRequest } from "../../crypto/verify-request.ts";
import { acquireSigningPool, createSigningPool, currentSigningPool } from "./signing-pool.ts";
import { SIGNING_THREAD_NICENESS } from "./thread-priority.ts";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const publicKeyPem = createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString();
const crashingWorker = new URL("./crashing-signing-worker.test-support.ts", import.meta.url);

const bytes = (text: string) => new TextEncoder().encode(text);
const verifies = (data: Uint8Array, signature: Uint8Array) => verify("sha256", data, publicKeyPem, signature);

/** The nice value of every thread of this process, by thread id (Linux, where getPriority takes a thread's id). */
function threadNiceValues(): Map<number, number> {
  const values = new Map<number, number>();
  for (const entry of readdirSync("/proc/self/task")) {
    try {
      values.set(Number(entry), getPriority(Number(entry)));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return values;
}

describe("createSigningPool", () => {
  it("signs on its threads what verifies with the public key", async () => {
    const pool = createSigningPool({ size: 2 });
    try {
      const data = Array.from({ length: 8 }, (_, i) => bytes(`request ${i}`));
      const signatures = await Promise.all(data.map((d) => pool.sign({ algorithm: "rsa-v1_5-sha256", privateKeyPem, data: d })));
      signatures.forEach((signature, i) => assert.ok(verifies(data[i]!, signature)));
    } finally {
      await pool.close();
    }
  });

  it("runs its threads at a lower priority than the main thread", { skip: process.platform === "linux" ? false : "Linux only" }, async () => {
    const before = threadNiceValues();
    const pool = createSigningPool({ size: 1 });
    try {
      assert.ok(verifies(bytes("z"), await pool.sign({ algorithm: "rsa-v1_5-sha256", privateKeyPem, data: bytes("z") })));
      const started = [...threadNiceValues()].filter(([threadId]) => !before.has(threadId)).map(([, nice]) => nice);
      const expected = Math.min(19, getPriority() + SIGNING_THREAD_NICENESS);
      assert.ok(started.includes(expected), `a new thread at nice ${expected}; new threads: ${JSON.stringify(started)}`);
      assert.equal(getPriority(), expected - SIGNING_THREAD_NICENESS, "the main thread keeps its priority");
    } finally {
      await pool.close();
    }
  });

  it("makes request signatures that verify, in both schemes", async () => {
    const pool = createSigningPool({ size: 1 });
    try {
      for (const scheme of ["draft-cavage", "rfc9421"] as const) {
        const url = "https://remote.example/inbox";
        const body = bytes('{"type":"Create"}');
        const now = new Date();
        const plan = planRequestSignature({ method: "POST", url, headers: new Headers(), body, keyId: "https://local.test/users/alice#main-key", algorithm: "rsa-v1_5-sha256", now, scheme });
        const headers = plan.complete(await pool.sign({ algorithm: plan.algorithm, privateKeyPem, data: plan.data }));
        const result = await verifyRequest({
          method: "POST",
          url,
          headers,
          body,
          now,
          resolveKey: async () => ({ publicKeyPem, ownerUri: "https://local.test/users/alice" }),
        });
        assert.equal(result.ok, true, `${scheme}: ${JSON.stringify(result)}`);
      }
    } finally {
      await pool.close();
    }
  });

  it("rejects a key that cannot sign, and keeps working", async () => {
    const pool = createSigningPool({ size: 1 });
    try {
      await assert.rejects(pool.sign({ algorithm: "rsa-v1_5-sha256", privateKeyPem: "not a key", data: bytes("x") }), /not PEM/);
      assert.ok(verifies(bytes("y"), await pool.sign({ algorithm: "rsa-v1_5-sha256", privateKeyPem, data: bytes("y") })));
    } finally {
      await pool.close();
    }
  });

  it("replaces a thread that dies, and signs the job it died on itself", async () => {
    const pool = createSigningPool({ size: 1, workerUrl: crashingWorker });
    const signedByThread = (text: string, signature: Uint8Array) => verifies(bytes(`thread:${text}`), signature);
    try {
      assert.ok(signedByThread("before", await pool.sign({ algorithm: "rsa-v1_5-sha256", privateKeyPem, data: bytes("before") })));
      const crashing = pool.sign({ algorithm: "rsa-v1_5-sha256", privateKeyPem, data: bytes("crash") });
      const behind = pool.sign({ algorithm: "rsa-v1_5-sha256", privateKeyPem, data: bytes("behind") });
      // The job the thread died on is not handed to another thread; the one queued behind it is.
      assert.ok(verifies(bytes("crash"), await crashing));
      assert.ok(signedByThread("behind", await behind));
      assert.ok(signedByThread("after", await pool.sign({ algorithm: "rsa-v1_5-sha256", privateKeyPem, data: bytes("after") })));
    } finally {
      await pool.close();
    }
  });

  it("signs on the calling thread when its threads cannot start", async () => {
    const pool = createSigningPool({ size: 1, workerUrl: new URL("./no-such-signing-worker.js", import.meta.url) });
    try {
      for (const text of ["one", "two", "three", "four"]) {
        assert.ok(verifies(bytes(text), await pool.sign({ algorithm: "rsa-v1_5-sha256", privateKeyPem, data: bytes(text) })));
      }
    } finally {
      await pool.close();
    }
  });

  it("does not keep the process alive once it has answered", async () => {
    // A process that signs and then forgets the pool must still exit by itself.
    const script = `
      import { createSigningPool } from ${JSON.stringify(new URL("./signing-pool.ts", import.meta.url).href)};
      const { generateKeyPairSync } = await import("node:crypto");
      const pem = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" });
      const pool = createSigningPool({ size: 2 });
      const signature = await pool.sign({ algorithm: "rsa-v1_5-sha256", privateKeyPem: pem, data: new Uint8Array([1, 2, 3]) });
      console.log(signature.byteLength);
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "--eval", script], { timeout: 20_000 });
    assert.equal(stdout.trim(), "256");
  });

  it("stops threads that have had nothing to do, and starts them again when needed", async () => {
    const pool = createSigningPool({ size: 2, idleMs: 50 });
    const sign = (text: string) => pool.sign({ algorithm: "rsa-v1_5-sha256", privateKeyPem, data: bytes(text) });
    try {
      await Promise.all(["a", "b", "c", "d"].map(sign));
      assert.ok(pool.running() > 0);
      const deadline = Date.now() + 5000;
      while (pool.running() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(pool.running(), 0, "idle threads stopped");
      assert.ok(verifies(bytes("again"), await sign("again")));
      assert.equal(pool.running(), 1, "a new burst starts a thread again");
    } finally {
      await pool.close();
    }
  });

  it("keeps a thread that is given work before its idle time is up", async () => {
    const pool = createSigningPool({ size: 1, idleMs: 2000 });
    const sign = (text: string) => pool.sign({ algorithm: "rsa-v1_5-sha256", privateKeyPem, data: bytes(text) });
    try {
      await sign("first");
      // Five gaps of 500 ms outlast one idle time, but each signature starts it over.
      // Each gap is a quarter of the idle time, so a loaded machine's late timers do not end it.
      for (let round = 0; round < 5; round++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        assert.equal(pool.running(), 1, `still running before signature ${round + 2}`);
        await sign(`round ${round}`);
      }
    } finally {
      await pool.close();
    }
  });

  it("signs on the calling thread once closed", async () => {
    const pool = createSigningPool({ size: 1 });
    await pool.close();
    assert.ok(verifies(bytes("late"), await pool.sign({ algorithm: "rsa-v1_5-sha256", privateKeyPem, data: bytes("late") })));
  });
});

describe("acquireSigningPool", () => {
  it("shares one pool until the last holder releases it", async () => {
    const first = acquireSigningPool();
    const second = acquireSigningPool();
    assert.equal(first.pool, second.pool);
    assert.equal(currentSigningPool(), first.pool);
    await first.release();
    await first.release();
    assert.equal(currentSigningPool(), second.pool);
    await second.release();
    assert.equal(currentSigningPool(), undefined);
    const third = acquireSigningPool();
    assert.notEqual(third.pool, first.pool);
    await third.release();
  });
});
