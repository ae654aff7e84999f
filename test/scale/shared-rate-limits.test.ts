/**
 * Two `outpost serve --role web` processes on one PostgreSQL database give a
 * client one inbox budget between them (100 requests at once by default),
 * not one per process: a client cannot multiply its allowance by spreading
 * requests over the processes behind a load balancer.
 *
 * Needs OUTPOST_TEST_DATABASE_URL; without it this file registers no test.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { openTestStore, postgresOnlyTestsUrl, urlWithSchema, withSchemaLock, type TestStore } from "../support/test-store.ts";
import { startServeProcess, type ServeProcess } from "./support/worker-process.ts";

const url = postgresOnlyTestsUrl();

/** The default inbox limit (see src/http/app.ts). */
const INBOX_BURST = 100;
const INBOX_PER_MINUTE = 300;

if (url !== undefined) {
  describe("web processes sharing one PostgreSQL database", () => {
    const cleanups: (() => Promise<unknown>)[] = [];
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    it("count a client's inbox requests once across all of them", async () => {
      const store: TestStore = await openTestStore({ backend: "postgres" });
      cleanups.push(() => store.close());
      const env = {
        OUTPOST_DATABASE_URL: urlWithSchema({ url, schema: store.schema ?? "" }),
        OUTPOST_ORIGIN: "https://outpost.test",
        HOST: "127.0.0.1",
        PORT: "0",
      };
      // The first process creates the instance actor; the second then finds it.
      const first: ServeProcess = await withSchemaLock({ url, mode: "shared", run: () => startServeProcess({ role: "web", env }) });
      cleanups.push(() => first.kill());
      const second: ServeProcess = await withSchemaLock({ url, mode: "shared", run: () => startServeProcess({ role: "web", env }) });
      cleanups.push(() => second.kill());

      const post = async (server: ServeProcess) => {
        const response = await fetch(`${server.url}/inbox`, {
          method: "POST",
          headers: { "content-type": "application/activity+json" },
          body: "{}",
        });
        await response.arrayBuffer();
        return response;
      };
      // Alternate between the processes until one refuses; per-process counting would allow twice the burst.
      const started = Date.now();
      let sent = 0;
      let refused: Response | undefined;
      let refusedSentAt = 0;
      while (refused === undefined && sent < 3 * INBOX_BURST) {
        refusedSentAt = Date.now();
        const response = await post(sent % 2 === 0 ? first : second);
        sent += 1;
        if (response.status === 429) refused = response;
      }
      const elapsedMinutes = (Date.now() - started) / 60_000;
      assert.ok(refused !== undefined, "a client is refused at some point");
      // The burst, plus what the budget refilled meanwhile (300 a minute), plus the refused request itself.
      const allowed = INBOX_BURST + Math.ceil(INBOX_PER_MINUTE * elapsedMinutes) + 1;
      assert.ok(sent >= INBOX_BURST + 1, `the burst was allowed (refused after ${sent})`);
      assert.ok(sent <= allowed, `refused after ${sent} requests: one budget for both processes (at most ${allowed})`);
      assert.ok(Number(refused.headers.get("retry-after")) >= 1);

      // The other process refuses too. The budget refills one request per
      // interval, so on a slow machine a request may be let through again,
      // but never more than the time since the refusal has refilled; counting
      // per process would let all of them through.
      const interval = 60_000 / INBOX_PER_MINUTE;
      const other = sent % 2 === 0 ? first : second;
      let admitted = 0;
      for (let i = 0; i < 10; i += 1) if ((await post(other)).status !== 429) admitted += 1;
      const refilled = Math.floor((Date.now() - refusedSentAt) / interval) + 1;
      assert.ok(admitted <= refilled, `the other process let ${admitted} of 10 through; the budget refilled at most ${refilled}`);

      assert.equal(await first.stop(), 0, first.output());
      assert.equal(await second.stop(), 0, second.output());
    });
  });
}
