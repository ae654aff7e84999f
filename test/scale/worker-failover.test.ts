/**
 * Two `outpost serve --role worker` processes share one PostgreSQL database
 * and deliver a post to 300 followers, each behind its own inbox. One worker
 * is killed with SIGKILL while deliveries are under way: the jobs it held come
 * back when their lease ends and the other worker finishes them, so every
 * inbox processes the post exactly once. Only requests the killed worker had
 * in flight can be sent twice, and the receiving side recognizes those as
 * duplicates by activity id, as ActivityPub servers do.
 *
 * Needs OUTPOST_TEST_DATABASE_URL; without it this file registers no test.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { sql } from "kysely";
import { createPost } from "../../src/federation/outbox/actions/create-post.ts";
import { openTestStore, postgresOnlyTestsUrl, urlWithSchema, withSchemaLock, type TestStore } from "../support/test-store.ts";
import { waitFor } from "../support/wait-for.ts";
import { startInboxSink, type InboxSink } from "./support/inbox-sink.ts";
import { createFanOutContext, FAN_OUT_ORIGIN, seedFanOut } from "./support/fan-out-world.ts";
import { startServeProcess, type ServeProcess } from "./support/worker-process.ts";

const url = postgresOnlyTestsUrl();

const FOLLOWERS = 300;
/** Each worker's delivery concurrency (the default), which bounds what a crash can leave half done. */
const WORKER_CONCURRENCY = 32;
/** Short, so that the crashed worker's jobs come back within the test; deliveries here take far less. */
const LEASE_MS = 3000;

if (url !== undefined) {
  describe("worker processes sharing one PostgreSQL database", () => {
    const cleanups: (() => Promise<unknown>)[] = [];
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    });

    it("deliver a post once to each of 300 inboxes although one worker is killed partway", async (t) => {
      const store: TestStore = await openTestStore({ backend: "postgres" });
      cleanups.push(() => store.close());
      const ctx = createFanOutContext({ store });

      let killed: Promise<{ pid: number; held: number; seenAtKill: number }> | undefined;
      let workers: ServeProcess[] = [];
      const sinkKeys = new Map<string, string>();
      const sink: InboxSink = await startInboxSink({
        keys: sinkKeys,
        // A remote server's own work: keeps a worker's requests in flight long enough to kill it amid them.
        answerDelayMs: 150,
        onRequest: (counts) => {
          if (killed === undefined && counts.processed >= FOLLOWERS / 3) killed = killBusiestWorker(store, workers, counts.processed);
        },
      });
      cleanups.push(() => sink.close());
      const seed = await seedFanOut(ctx, { username: "alice", followers: FOLLOWERS, inboxUrl: (n) => sink.inboxUrl(n) });
      for (const [keyId, pem] of seed.keys) sinkKeys.set(keyId, pem);

      const env = {
        OUTPOST_DATABASE_URL: urlWithSchema({ url, schema: store.schema ?? "" }),
        OUTPOST_ORIGIN: FAN_OUT_ORIGIN,
        OUTPOST_ALLOW_PRIVATE_ADDRESSES: "1",
        OUTPOST_JOB_LEASE_MS: String(LEASE_MS),
        OUTPOST_DB_POOL_SIZE: "6",
      };
      // Starting opens the store, which must not meet another test file dropping its schema.
      workers = await withSchemaLock({
        url,
        mode: "shared",
        run: () => Promise.all([startServeProcess({ role: "worker", env }), startServeProcess({ role: "worker", env })]),
      });
      cleanups.push(() => Promise.all(workers.map((worker) => worker.kill())));

      const published = await createPost(ctx, { actor: seed.actor, text: "Hello, all three hundred of you!" });
      assert.ok(published.ok);
      assert.equal(published.deliveries, FOLLOWERS);

      await waitFor(async () => sink.counts().processed === FOLLOWERS && (await store.jobs.counts()).pending === 0, {
        timeoutMs: 60_000,
        message: "every inbox processed the post and no delivery is left",
      });
      assert.ok(killed !== undefined, "a worker was killed partway");
      const crash = await killed;
      const survivor = workers.find((worker) => worker.pid !== crash.pid);
      assert.ok(survivor !== undefined);
      assert.equal(await survivor.stop(), 0, "the surviving worker stops cleanly on SIGTERM");

      const counts = sink.counts();
      const duplicates = counts.requests - counts.processed;
      t.diagnostic(
        `killed worker ${crash.pid} when the sink had seen ${crash.seenAtKill} deliveries; it held ${crash.held} claims; ` +
          `${counts.requests} requests in all, ${duplicates} redelivered`,
      );
      assert.ok(crash.seenAtKill < FOLLOWERS, "the kill came before the deliveries were over");
      assert.ok(crash.held > 0, "the killed worker had deliveries in hand");
      for (let n = 0; n < FOLLOWERS; n++) assert.equal(sink.processedBy(n), 1, `inbox ${n} processed the post once`);
      assert.equal(counts.refused, 0, "every request was signed by alice's key");
      assert.ok(duplicates <= WORKER_CONCURRENCY, `${duplicates} redeliveries, at most the killed worker's concurrency`);
      assert.deepEqual(await store.jobs.countByGroup(published.activityUri), { pending: 0, done: FOLLOWERS, failed: 0 });
    });

    it("a worker stopped with SIGTERM finishes the deliveries in hand and leaves the rest to others, none sent twice", async () => {
      const store: TestStore = await openTestStore({ backend: "postgres" });
      cleanups.push(() => store.close());
      const ctx = createFanOutContext({ store });
      const followers = 60;
      let stopping: Promise<number> | undefined;
      let first: ServeProcess | undefined;
      const sinkKeys = new Map<string, string>();
      const sink = await startInboxSink({
        keys: sinkKeys,
        // Slow answers: the stop arrives while the worker waits on a full batch.
        answerDelayMs: 1000,
        onRequest: (counts) => {
          if (stopping === undefined && counts.requests >= 10 && first !== undefined) stopping = first.stop();
        },
      });
      cleanups.push(() => sink.close());
      const seed = await seedFanOut(ctx, { username: "bob", followers, inboxUrl: (n) => sink.inboxUrl(n) });
      for (const [keyId, pem] of seed.keys) sinkKeys.set(keyId, pem);
      const env = {
        OUTPOST_DATABASE_URL: urlWithSchema({ url, schema: store.schema ?? "" }),
        OUTPOST_ORIGIN: FAN_OUT_ORIGIN,
        OUTPOST_ALLOW_PRIVATE_ADDRESSES: "1",
        OUTPOST_DB_POOL_SIZE: "4",
      };
      first = await withSchemaLock({ url, mode: "shared", run: () => startServeProcess({ role: "worker", env }) });
      const stopped = first;
      cleanups.push(() => stopped.kill());

      const published = await createPost(ctx, { actor: seed.actor, text: "Hello!" });
      assert.ok(published.ok);
      await waitFor(() => stopping, { timeoutMs: 30_000, message: "the first deliveries arrived" });
      assert.equal(await stopping, 0, "the worker exits cleanly");
      const afterStop = await store.jobs.countByGroup(published.activityUri);
      assert.equal(afterStop.done, sink.counts().requests, "each delivery it had sent was finished and recorded");
      assert.ok(afterStop.pending > 0, "some deliveries were left for later");
      const { rows } = await sql<{ n: number | string }>`
        select count(*) as n from jobs where locked_by is not null and status = 'pending'`.execute(store.db);
      assert.equal(Number(rows[0]?.n), 0, "no job stays claimed by the stopped worker");

      const second = await withSchemaLock({ url, mode: "shared", run: () => startServeProcess({ role: "worker", env }) });
      cleanups.push(() => second.kill());
      await waitFor(async () => (await store.jobs.countByGroup(published.activityUri)).done === followers, {
        timeoutMs: 60_000,
        message: "the next worker delivered the rest",
      });
      assert.equal(await second.stop(), 0);
      for (let n = 0; n < followers; n++) assert.equal(sink.processedBy(n), 1, `inbox ${n} processed the post once`);
      assert.equal(sink.counts().duplicates, 0, "a graceful stop sends nothing twice");
    });
  });
}

/**
 * Kills (SIGKILL) the worker holding the most claims now, and tells how many
 * it held: the jobs that will come back to the other worker.
 */
async function killBusiestWorker(
  store: TestStore,
  workers: readonly ServeProcess[],
  seenAtKill: number,
): Promise<{ pid: number; held: number; seenAtKill: number }> {
  const now = new Date().toISOString();
  // Worker ids are `<host>:<pid>:<random>`; a live claim is one whose lease has not ended.
  const { rows } = await sql<{ locked_by: string; n: number | string }>`
    select locked_by, count(*) as n from jobs
    where status = 'pending' and locked_until > ${now}
    group by locked_by order by count(*) desc`.execute(store.db);
  const pidOf = (workerId: string) => Number(workerId.split(":").at(-2));
  const busiest = rows.find((row) => workers.some((worker) => worker.pid === pidOf(row.locked_by)));
  const victim = workers.find((worker) => busiest !== undefined && worker.pid === pidOf(busiest.locked_by)) ?? workers[0];
  if (victim === undefined) throw new Error("no worker to kill");
  await victim.kill();
  // What it held when it died: the jobs the other worker will take over once their lease ends.
  const { rows: held } = await sql<{ n: number | string }>`
    select count(*) as n from jobs
    where status = 'pending' and locked_until > ${new Date().toISOString()} and locked_by like ${`%:${victim.pid}:%`}`.execute(store.db);
  return { pid: victim.pid, held: Number(held[0]?.n ?? 0), seenAtKill };
}
