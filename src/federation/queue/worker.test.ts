import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/federation-context.ts";
import type { JobRecord } from "../../store/records.ts";
import type { JobRepository } from "../../store/store.ts";
import type { FederationConfig } from "../context.ts";
import { createWorker, type JobHandler, type JobWorker } from "./worker.ts";

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

async function context(): Promise<TestContext> {
  const ctx = await createTestContext();
  closers.push(() => ctx.store.close());
  return ctx;
}

function track(worker: JobWorker): JobWorker {
  closers.unshift(() => worker.stop());
  return worker;
}

async function queue(ctx: TestContext, count: number, name = "work"): Promise<void> {
  const jobs = Array.from({ length: count }, (_, i) => ({ queue: name, payload: { n: i }, dedupeKey: `${name}:${i}` }));
  await ctx.store.jobs.enqueue(jobs);
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** The context with its job repository counting claims and outcome writes (and failing writes while `failSettle`). */
function counted(ctx: TestContext) {
  const calls = { claims: 0, claimsEnded: 0, settles: 0, claimsWithOutcomes: 0, failSettle: false };
  const inner = ctx.store.jobs;
  const jobs: JobRepository = {
    ...inner,
    claim: (params) => (calls.claims++, inner.claim(params).finally(() => calls.claimsEnded++)),
    settle: async (settlements, now) => {
      calls.settles++;
      if (calls.failSettle) throw new Error("database unavailable");
      return inner.settle(settlements, now);
    },
  };
  const combined = inner.settleAndClaim;
  if (combined !== undefined) {
    jobs.settleAndClaim = async (settlements, params) => {
      calls.claims++;
      try {
        // Outcomes written with a claim count as a write of outcomes, and fail like one.
        calls.settles++;
        calls.claimsWithOutcomes++;
        if (calls.failSettle) throw new Error("database unavailable");
        return await combined.call(inner, settlements, params);
      } finally {
        calls.claimsEnded++;
      }
    };
  }
  return { calls, ctx: { ...ctx, store: { ...ctx.store, jobs } } };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe("createWorker", () => {
  it("runs every due job once", async () => {
    const ctx = await context();
    await queue(ctx, 25);
    const runs = new Map<string, number>();
    const handler: JobHandler = async (_ctx, job) => {
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
      return { kind: "done" };
    };
    await track(createWorker(ctx, { handlers: { work: handler }, concurrency: 4 })).runUntilIdle();
    assert.equal(runs.size, 25);
    assert.ok([...runs.values()].every((n) => n === 1));
    assert.deepEqual(await ctx.store.jobs.counts(), { pending: 0, done: 25, failed: 0 });
  });

  it("leaves other queues alone", async () => {
    const ctx = await context();
    await queue(ctx, 2, "work");
    await queue(ctx, 3, "other");
    let ran = 0;
    await track(createWorker(ctx, { handlers: { work: async () => (ran++, { kind: "done" }) } })).runUntilIdle();
    assert.equal(ran, 2);
    assert.equal((await ctx.store.jobs.counts()).pending, 3);
  });

  it("runs a job again when its handler asks for a retry", async () => {
    const ctx = await context();
    await queue(ctx, 1);
    const attempts: number[] = [];
    const handler: JobHandler = async (_ctx, job) => {
      attempts.push(job.attempts);
      if (job.attempts === 0) return { kind: "retry", at: new Date(Date.now() - 1000), error: "try later" };
      return { kind: "done" };
    };
    await track(createWorker(ctx, { handlers: { work: handler } })).runUntilIdle();
    assert.deepEqual(attempts, [0, 1]);
    assert.deepEqual(await ctx.store.jobs.counts(), { pending: 0, done: 1, failed: 0 });
  });

  it("records a failed job as failed", async () => {
    const ctx = await context();
    await queue(ctx, 1);
    const ids: string[] = [];
    await track(
      createWorker(ctx, {
        handlers: {
          work: async (_ctx, job) => {
            ids.push(job.id);
            return { kind: "fail", error: "refused" };
          },
        },
      }),
    ).runUntilIdle();
    const job = await ctx.store.jobs.get(ids[0]!);
    assert.equal(job?.status, "failed");
    assert.equal(job?.lastError, "refused");
  });

  it("survives a handler that throws and schedules the job again later", async () => {
    const ctx = await context();
    await queue(ctx, 3);
    const seen: JobRecord[] = [];
    const handler: JobHandler = async (_ctx, job) => {
      seen.push(job);
      if ((job.payload as { n: number }).n === 1) throw new Error("database on fire");
      return { kind: "done" };
    };
    await track(createWorker(ctx, { handlers: { work: handler }, concurrency: 1 })).runUntilIdle();
    assert.equal(seen.length, 3);
    const crashed = await ctx.store.jobs.get(seen.find((j) => (j.payload as { n: number }).n === 1)!.id);
    assert.equal(crashed?.status, "pending");
    assert.equal(crashed?.attempts, 1);
    assert.match(crashed?.lastError ?? "", /database on fire/);
    assert.ok(Date.parse(crashed!.runAt) > Date.now());
    assert.deepEqual(await ctx.store.jobs.counts(), { pending: 1, done: 2, failed: 0 });
  });

  it("fails a job of a queue it has no handler for", async () => {
    const ctx = await context();
    await queue(ctx, 1);
    const worker = track(createWorker(ctx, { handlers: { work: undefined as unknown as JobHandler } }));
    await worker.runUntilIdle();
    assert.deepEqual(await ctx.store.jobs.counts(), { pending: 0, done: 0, failed: 1 });
  });

  it("also runs the jobs that its jobs queue", async () => {
    const ctx = await context();
    await queue(ctx, 1, "first");
    const order: string[] = [];
    const worker = track(
      createWorker(ctx, {
        handlers: {
          first: async (c) => {
            order.push("first");
            await c.store.jobs.enqueue([{ queue: "second", payload: {} }]);
            return { kind: "done" };
          },
          second: async () => {
            order.push("second");
            return { kind: "done" };
          },
        },
      }),
    );
    await worker.runUntilIdle();
    assert.deepEqual(order, ["first", "second"]);
  });

  it("starts on a job as soon as it is told one was queued", async () => {
    const ctx = await context();
    const ran = deferred<string>();
    const worker = track(
      createWorker(ctx, {
        handlers: { work: async (_c, job) => (ran.resolve(job.id), { kind: "done" }) },
        pollIntervalMs: 3600_000,
      }),
    );
    worker.start();
    // Let the first (empty) poll finish, so only notify() can find the job.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    await queue(ctx, 1);
    worker.notify();
    const id = await ran.promise;
    await worker.stop();
    assert.equal((await ctx.store.jobs.get(id))?.status, "done");
  });

  it("finds queued jobs by polling once started", async () => {
    const ctx = await context();
    await queue(ctx, 5);
    let done = 0;
    const all = deferred();
    const worker = track(
      createWorker(ctx, {
        handlers: {
          work: async () => {
            if (++done === 5) all.resolve();
            return { kind: "done" };
          },
        },
        pollIntervalMs: 5,
      }),
    );
    worker.start();
    await all.promise;
    await worker.stop();
    assert.equal((await ctx.store.jobs.counts()).done, 5);
  });

  it("releases the jobs still running when stopped, so another worker can take them", async () => {
    const ctx = await context();
    await queue(ctx, 1);
    const started = deferred<string>();
    const never = new Promise<never>(() => {});
    const stuck = createWorker(ctx, {
      handlers: {
        work: async (_c, job) => {
          started.resolve(job.id);
          return never;
        },
      },
      workerId: "stuck",
      stopTimeoutMs: 10,
      pollIntervalMs: 3600_000,
    });
    stuck.start();
    const id = await started.promise;
    assert.deepEqual(await ctx.store.jobs.claim({ queues: ["work"], limit: 5, workerId: "other", leaseMs: 60_000, now: new Date() }), []);
    await stuck.stop();
    const reclaimed = await ctx.store.jobs.claim({ queues: ["work"], limit: 5, workerId: "other", leaseMs: 60_000, now: new Date() });
    assert.deepEqual(reclaimed.map((j) => j.id), [id]);
  });

  it("holds its claims for the lease the deployment configured, after which another worker may take the job", async () => {
    let clock = Date.parse("2026-03-01T12:00:00Z");
    const ctx = await createTestContext({ now: () => new Date(clock), config: { jobLeaseMs: 5_000 } as Partial<FederationConfig> });
    closers.push(() => ctx.store.close());
    await ctx.store.jobs.enqueue([{ queue: "work", payload: {}, runAt: new Date(clock - 1000).toISOString() }]);
    const started = deferred<string>();
    const crashed = track(
      createWorker(ctx, {
        handlers: {
          work: async (_c, job) => {
            started.resolve(job.id);
            // Never finishes, as if the process had died with the job in hand.
            return new Promise<never>(() => {});
          },
        },
        pollIntervalMs: 3600_000,
        stopTimeoutMs: 10,
      }),
    );
    crashed.start();
    const id = await started.promise;
    const claimAt = (ms: number) =>
      ctx.store.jobs.claim({ queues: ["work"], limit: 1, workerId: "survivor", leaseMs: 5_000, now: new Date(clock + ms) });
    assert.deepEqual(await claimAt(4_000), [], "still leased");
    assert.deepEqual((await claimAt(5_001)).map((job) => job.id), [id]);
  });

  it("claims jobs several at a time and records their outcomes in batches", async () => {
    const base = await context();
    const total = 64;
    await queue(base, total);
    const { ctx, calls } = counted(base);
    let ran = 0;
    const worker = track(createWorker(ctx, { handlers: { work: async () => (ran++, { kind: "done" }) }, concurrency: 16 }));
    await worker.runUntilIdle();
    assert.equal(ran, total);
    assert.deepEqual(await ctx.store.jobs.counts(), { pending: 0, done: total, failed: 0 });
    // A claim waits for a quarter of the slots (4 of 16) to be free, so no more than one per 4 jobs, and a last empty one.
    assert.ok(calls.claims <= total / 4 + 2, `${calls.claims} claims for ${total} jobs`);
    assert.ok(calls.settles < total, `${calls.settles} outcome writes for ${total} jobs`);
  });

  it("writes the outcomes waiting to be written together with its next claim", async () => {
    const base = await context();
    const total = 64;
    await queue(base, total);
    const { ctx, calls } = counted(base);
    const worker = track(createWorker(ctx, { handlers: { work: async () => ({ kind: "done" }) }, concurrency: 16 }));
    await worker.runUntilIdle();
    assert.deepEqual(await ctx.store.jobs.counts(), { pending: 0, done: total, failed: 0 });
    // Every claim after the first finds outcomes waiting; only the last batch, with nothing left to claim, may go alone.
    assert.ok(calls.claimsWithOutcomes >= 3, `${calls.claimsWithOutcomes} claims carried outcomes`);
    assert.ok(calls.settles - calls.claimsWithOutcomes <= 1, `${calls.settles - calls.claimsWithOutcomes} outcome writes on their own`);
  });

  it("writes outcomes on their own for a store that cannot claim and settle together", async () => {
    const base = await context();
    const total = 20;
    await queue(base, total);
    const { settleAndClaim: _unsupported, ...plain } = base.store.jobs;
    const { ctx, calls } = counted({ ...base, store: { ...base.store, jobs: plain } });
    const worker = track(createWorker(ctx, { handlers: { work: async () => ({ kind: "done" }) }, concurrency: 4 }));
    await worker.runUntilIdle();
    assert.deepEqual(await ctx.store.jobs.counts(), { pending: 0, done: total, failed: 0 });
    assert.equal(calls.claimsWithOutcomes, 0);
    assert.ok(calls.settles >= 1);
  });

  it("claims once for many notifications at once", async () => {
    const base = await context();
    const { ctx, calls } = counted(base);
    let ran = 0;
    const worker = track(
      createWorker(ctx, { handlers: { work: async () => (ran++, { kind: "done" }) }, pollIntervalMs: 3600_000 }),
    );
    worker.start();
    // Let the first, empty claim end, so that only the notifications below can find the jobs.
    await until(() => calls.claimsEnded === 1);
    await queue(base, 10);
    for (let i = 0; i < 50; i++) worker.notify();
    await until(() => ran === 10);
    await worker.stop();
    assert.equal(calls.claims, 2);
    assert.deepEqual(await ctx.store.jobs.counts(), { pending: 0, done: 10, failed: 0 });
  });

  it("lets the event loop turn while it starts a claimed batch, instead of running the whole batch at once", async () => {
    const base = await context();
    await queue(base, 32);
    let ran = 0;
    let ranBeforeTurn: number | undefined;
    const worker = track(
      createWorker(base, {
        concurrency: 32,
        pollIntervalMs: 3600_000,
        handlers: {
          work: async () => {
            // A callback from the next turn of the loop, like a socket with a request waiting.
            if (ran++ === 0) setImmediate(() => (ranBeforeTurn = ran));
            return { kind: "done" };
          },
        },
      }),
    );
    worker.start();
    await until(() => ran === 32);
    await worker.stop();
    assert.ok(ranBeforeTurn !== undefined && ranBeforeTurn < 32, `${ranBeforeTurn} of 32 jobs ran before the loop turned`);
    assert.deepEqual(await base.store.jobs.counts(), { pending: 0, done: 32, failed: 0 });
  });

  it("releases the claimed jobs it had not started when stopped, without running them", async () => {
    const base = await context();
    await queue(base, 32);
    let ran = 0;
    let stopping: Promise<void> | undefined;
    const worker = track(
      createWorker(base, {
        concurrency: 32,
        pollIntervalMs: 3600_000,
        handlers: {
          work: async () => {
            // Stopping as the first job runs: the jobs of the batch still waiting to start are not started.
            if (ran++ === 0) stopping = worker.stop();
            return { kind: "done" };
          },
        },
      }),
    );
    worker.start();
    await until(() => stopping !== undefined);
    await stopping;
    assert.ok(ran < 32, `${ran} of 32 jobs ran`);
    const counts = await base.store.jobs.counts();
    assert.deepEqual(counts, { pending: 32 - ran, done: ran, failed: 0 });
    // The unstarted ones were released, so another worker takes them at once rather than after the lease.
    let ranByOther = 0;
    await track(createWorker(base, { handlers: { work: async () => (ranByOther++, { kind: "done" }) } })).runUntilIdle();
    assert.equal(ranByOther, 32 - ran);
  });

  it("reports each outcome once the store has it, a handler that threw as the retry it was recorded as", async () => {
    const base = await context();
    await queue(base, 3);
    const written = new Set<string>();
    const jobs: JobRepository = {
      ...base.store.jobs,
      settle: async (settlements, now) => {
        await base.store.jobs.settle(settlements, now);
        for (const settlement of settlements) written.add(settlement.id);
      },
      settleAndClaim: async (settlements, params) => {
        const claimed = await base.store.jobs.settleAndClaim!(settlements, params);
        for (const settlement of settlements) written.add(settlement.id);
        return claimed;
      },
    };
    const reports: { n: number; kind: string; written: boolean }[] = [];
    const worker = track(
      createWorker(
        { ...base, store: { ...base.store, jobs } },
        {
          handlers: {
            work: async (_ctx, job) => {
              if ((job.payload as { n: number }).n === 1) throw new Error("boom");
              return { kind: "done" };
            },
          },
          onOutcome: (job, outcome) => reports.push({ n: (job.payload as { n: number }).n, kind: outcome.kind, written: written.has(job.id) }),
        },
      ),
    );
    await worker.runUntilIdle();
    reports.sort((a, b) => a.n - b.n);
    assert.deepEqual(reports, [
      { n: 0, kind: "done", written: true },
      { n: 1, kind: "retry", written: true },
      { n: 2, kind: "done", written: true },
    ]);
  });

  it("does not report an outcome it could not write", async () => {
    const base = await context();
    const { ctx, calls } = counted(base);
    await queue(base, 2);
    calls.failSettle = true;
    const reported: string[] = [];
    const worker = track(
      createWorker(ctx, { handlers: { work: async () => ({ kind: "done" }) }, onOutcome: (job) => reported.push(job.id) }),
    );
    await worker.runUntilIdle();
    assert.ok(calls.settles >= 1);
    assert.deepEqual(reported, []);
  });

  it("records the outcomes of the jobs it waited for when stopped, before releasing its claims", async () => {
    const base = await context();
    const { ctx, calls } = counted(base);
    await queue(base, 3);
    let ran = 0;
    const worker = track(
      createWorker(ctx, { handlers: { work: async () => (ran++, { kind: "done" }) }, pollIntervalMs: 3600_000 }),
    );
    worker.start();
    await until(() => ran === 3);
    await worker.stop();
    assert.ok(calls.settles >= 1);
    assert.deepEqual(await ctx.store.jobs.counts(), { pending: 0, done: 3, failed: 0 });
  });

  it("loses no job when its outcome cannot be written: the job runs again once the lease lapses", async () => {
    let clock = Date.parse("2026-03-01T12:00:00Z");
    const base = await createTestContext({ now: () => new Date(clock) });
    closers.push(() => base.store.close());
    const { ctx, calls } = counted(base);
    await ctx.store.jobs.enqueue([{ queue: "work", payload: {}, runAt: new Date(clock - 1000).toISOString() }]);
    const runs: string[] = [];
    const worker = track(
      createWorker(ctx, { handlers: { work: async (_c, job) => (runs.push(job.id), { kind: "done" }) }, leaseMs: 5_000 }),
    );
    calls.failSettle = true;
    await worker.runUntilIdle();
    assert.equal(runs.length, 1);
    assert.equal((await ctx.store.jobs.counts()).pending, 1, "the outcome was not written");
    calls.failSettle = false;
    await worker.runUntilIdle();
    assert.equal(runs.length, 1, "still leased");
    clock += 5_001;
    await worker.runUntilIdle();
    assert.deepEqual(runs, [runs[0], runs[0]]);
    assert.deepEqual(await ctx.store.jobs.counts(), { pending: 0, done: 1, failed: 0 });
  });

  it("never lets two workers on one store run the same job", async () => {
    const ctx = await context();
    const total = 60;
    await queue(ctx, total);
    const runs = new Map<string, number>();
    let finished = 0;
    const all = deferred();
    const handler: JobHandler = async (_ctx, job) => {
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
      await new Promise((resolve) => setImmediate(resolve));
      if (++finished === total) all.resolve();
      return { kind: "done" };
    };
    const a = track(createWorker(ctx, { handlers: { work: handler }, concurrency: 5, workerId: "a", pollIntervalMs: 5 }));
    const b = track(createWorker(ctx, { handlers: { work: handler }, concurrency: 5, workerId: "b", pollIntervalMs: 5 }));
    a.start();
    b.start();
    await all.promise;
    await Promise.all([a.stop(), b.stop()]);
    assert.equal(runs.size, total);
    assert.ok([...runs.values()].every((n) => n === 1), "a job ran twice");
    assert.deepEqual(await ctx.store.jobs.counts(), { pending: 0, done: total, failed: 0 });
  });
});
