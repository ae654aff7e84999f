/**
 * Growing an instance from SQLite to PostgreSQL and back: a dump of every
 * table loads into the other backend and dumps again to the very same rows
 * (keys, follows, posts, pending deliveries, seq numbers and so the order of
 * every list), and the moved instance carries on where it was. Also through
 * the command line: `outpost export` from a data directory, `outpost import`
 * into a PostgreSQL schema.
 *
 * Needs OUTPOST_TEST_DATABASE_URL; without it this file registers no test.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runOutpost } from "../../src/cli/cli-harness.ts";
import { importStore } from "../../src/store/transfer/import-store.ts";
import { bodyOf, captureDump, linesOf, localUri, MANY, remoteUri, seedInstance } from "../../src/store/transfer/transfer.test-support.ts";
import { openTestStore, postgresOnlyTestsUrl, reserveTestSchema, urlWithSchema, withSchemaLock, type TestStore } from "../support/test-store.ts";

const url = postgresOnlyTestsUrl();

if (url !== undefined) {
  describe("moving an instance between SQLite and PostgreSQL", () => {
    const cleanups: (() => Promise<unknown>)[] = [];
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });
    const open = async (backend: "sqlite" | "postgres"): Promise<TestStore> => {
      const store = await openTestStore({ backend });
      cleanups.push(() => store.close());
      return store;
    };

    it("SQLite → PostgreSQL → SQLite keeps every row and the order of every list", async () => {
      const sqlite = await open("sqlite");
      await seedInstance(sqlite);
      const fromSqlite = await captureDump({ store: sqlite });
      assert.ok(fromSqlite.result.ok);

      const postgres = await open("postgres");
      const intoPostgres = await importStore({ store: postgres, lines: linesOf(fromSqlite.text) });
      assert.ok(intoPostgres.ok, intoPostgres.ok ? "" : intoPostgres.message);
      const fromPostgres = await captureDump({ store: postgres });
      assert.equal(bodyOf(fromPostgres.text), bodyOf(fromSqlite.text), "PostgreSQL holds exactly the SQLite rows");

      const back = await open("sqlite");
      const intoSqlite = await importStore({ store: back, lines: linesOf(fromPostgres.text) });
      assert.ok(intoSqlite.ok);
      assert.equal(bodyOf((await captureDump({ store: back })).text), bodyOf(fromSqlite.text), "and back again, unchanged");

      // The moved instance answers as the old one did, and carries on.
      for (const store of [postgres, back]) {
        const followers = await store.follows.listFollowers(localUri("alice"), "accepted", { limit: 10 });
        assert.deepEqual(followers.items, (await sqlite.follows.listFollowers(localUri("alice"), "accepted", { limit: 10 })).items);
        assert.deepEqual(await store.keys.get(`${localUri("alice")}#main-key`), await sqlite.keys.get(`${localUri("alice")}#main-key`));
        const claimed = await store.jobs.claim({ queues: ["deliver"], limit: MANY + 10, workerId: "w", leaseMs: 60_000, now: new Date() });
        assert.equal(claimed.length, MANY, "the pending fan-out is there to deliver");
        await store.follows.put({
          followerUri: remoteUri("zed"),
          followeeUri: localUri("alice"),
          activityUri: `${remoteUri("zed")}#follow`,
          state: "accepted",
          createdAt: new Date().toISOString(),
        });
        const newest = await store.follows.listFollowers(localUri("alice"), "accepted", { limit: 1 });
        assert.equal(newest.items[0]?.followerUri, remoteUri("zed"), "a new follow lists first, after the imported ones");
      }
    });

    it("with the command line: export from a data directory, import into a PostgreSQL schema", async () => {
      const dir = await mkdtemp(join(tmpdir(), "outpost-transfer-"));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const schema = reserveTestSchema();
      cleanups.push(() => schema.drop());
      const onSqlite = { OUTPOST_DATA_DIR: join(dir, "data"), OUTPOST_ORIGIN: "https://social.example" };
      const onPostgres = { OUTPOST_DATABASE_URL: urlWithSchema({ url, schema: schema.schema }), OUTPOST_ORIGIN: "https://social.example" };
      const ok = async (args: string[], env: Record<string, string>) => {
        const run = await runOutpost({ args, env });
        assert.equal(run.code, 0, `outpost ${args.join(" ")}: ${run.stderr}`);
        return run.stdout;
      };

      await ok(["actor", "create", "alice"], onSqlite);
      const posted = await ok(["post", "alice", "Moving house"], onSqlite);
      const dump = join(dir, "outpost.jsonl");
      assert.match(await ok(["export", "--out", dump], onSqlite), /Exported \d+ rows/);

      // Opening the new schema migrates it, which must not meet another test dropping a schema.
      const imported = await withSchemaLock({ url, mode: "shared", run: () => runOutpost({ args: ["import", dump], env: onPostgres }) });
      assert.equal(imported.code, 0, imported.stderr);
      assert.match(imported.stdout, /Imported \d+ rows/);
      assert.match(await ok(["actor", "list"], onPostgres), /alice\s+Person/);
      const again = await runOutpost({ args: ["import", dump], env: onPostgres });
      assert.equal(again.code, 1, "a database that is not empty is refused");
      assert.match(again.stderr, /not empty.*--force/);
      await ok(["import", "--force", dump], onPostgres);
      const postUri = /Posted: (\S+)/.exec(posted)?.[1] ?? "";
      assert.match(await ok(["export", "alice"], onPostgres), new RegExp(postUri.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
      assert.match(await ok(["jobs", "stats"], onPostgres), /Backed-off hosts: 0/);
    });
  });
}
