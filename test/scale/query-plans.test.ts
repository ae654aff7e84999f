/**
 * The queries a busy PostgreSQL instance runs all the time (collection pages
 * and counts, the fan-out's recipients, the checks of incoming activities,
 * claiming jobs) must be answered through an index, not by reading whole
 * tables. The SQL is the repositories' own, captured as they run it.
 *
 * With a few thousand rows the planner may still prefer reading a table
 * whole, which is right for a table that small and says nothing about a big
 * one; sequential and bitmap scans are therefore discouraged
 * (`enable_seqscan`/`enable_bitmapscan = off`), which leaves the planner an
 * index scan exactly when an index fits the query. Without one it still has
 * to read the table, and the test fails.
 *
 * The PostgreSQL tests need OUTPOST_TEST_DATABASE_URL; without it only the
 * SQLite ones run.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CompiledQuery, sql, type KyselyPlugin, type RootOperationNode } from "kysely";
import { createActivityRepository } from "../../src/store/activity-repository.ts";
import { createFollowRepository } from "../../src/store/follow-repository.ts";
import { createInboxEntryRepository } from "../../src/store/inbox-entry-repository.ts";
import { createJobRepository } from "../../src/store/job-repository.ts";
import { createKeyRepository } from "../../src/store/key-repository.ts";
import { createObjectRepository } from "../../src/store/object-repository.ts";
import { createPreparedQueries } from "../../src/store/prepared-queries.ts";
import { openTestStore, postgresOnlyTestsUrl, type TestStore } from "../support/test-store.ts";

const url = postgresOnlyTestsUrl();

const ALICE = "https://outpost.test/users/alice";
const PUBLIC = ["public", "unlisted"] as const;

/** One step of a plan, as EXPLAIN (FORMAT JSON) gives it. */
interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  "Conflict Arbiter Indexes"?: string[];
  Plans?: PlanNode[];
}

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}

/**
 * Fills the tables as on an instance with a hundred active accounts: alice is
 * one of them, with about 1% of the follows, posts and inbox entries (the
 * planner rightly reads a table in key order when the one account asked for
 * owns most of it), and a queue that is mostly done.
 */
async function seed(store: TestStore): Promise<void> {
  const now = new Date().toISOString();
  const local = (expression: ReturnType<typeof sql>) =>
    sql`case when ${expression} % 100 = 0 then ${ALICE} else 'https://outpost.test/users/other' || (${expression} % 100) end`;
  const remote = sql`'https://remote' || (n % 50) || '.example/users/u' || n`;
  await sql`insert into actors (uri, type, username, username_lower, host, local, inbox, manually_approves_followers,
      discoverable, also_known_as, fields, updated_at)
    select ${remote}, 'Person', 'u' || n, 'u' || n, 'remote' || (n % 50) || '.example', 0, ${remote} || '/inbox', 0, 1, '[]', '[]', ${now}
    from generate_series(1, 10000) as n`.execute(store.db);
  await sql`insert into keys (key_id, owner_uri, public_key_pem)
    select ${remote} || '#main-key', ${remote}, 'PEM' from generate_series(1, 10000) as n`.execute(store.db);
  await sql`insert into follows (follower_uri, followee_uri, activity_uri, state, created_at)
    select ${remote}, ${local(sql`n`)}, 'https://remote.example/follows/' || n,
      case when n % 7 = 0 then 'pending' else 'accepted' end, ${now}
    from generate_series(1, 10000) as n`.execute(store.db);
  await sql`insert into activities (uri, type, actor_uri, object_uri, local, visibility, recipients, document, published)
    select 'https://outpost.test/activities/' || n, 'Create', ${local(sql`n`)}, 'https://outpost.test/objects/' || n, 1,
      case when n % 3 = 0 then 'followers' else 'public' end, '[]', '{}', ${now}
    from generate_series(1, 10000) as n`.execute(store.db);
  await sql`insert into objects (uri, type, attributed_to, local, visibility, in_reply_to, recipients, document, published)
    select 'https://outpost.test/objects/' || n, 'Note', ${local(sql`n`)}, 1, 'public',
      case when n > 500 then 'https://outpost.test/objects/' || (n % 500) end, '[]', '{}', ${now}
    from generate_series(1, 10000) as n`.execute(store.db);
  await sql`insert into inbox_entries (actor_uri, activity_uri, received_at)
    select ${local(sql`n`)}, 'https://outpost.test/activities/' || n, ${now}
    from generate_series(1, 10000) as n`.execute(store.db);
  // A queue as it looks after a while: mostly done, some due, some scheduled for later.
  await sql`insert into jobs (id, queue, payload, status, attempts, run_at, created_at, finished_at, dedupe_key, group_key)
    select 'job-' || n, case when n % 3 = 0 then 'inbox' else 'deliver' end, '{}',
      case when n % 10 = 0 then 'pending' else 'done' end, 0,
      case when n % 20 = 0 then '2100-01-01T00:00:00.000Z' else ${now} end, ${now},
      case when n % 10 = 0 then null else ${now} end, 'dedupe-' || n, 'group-' || (n % 100)
    from generate_series(1, 20000) as n`.execute(store.db);
  await sql`analyze`.execute(store.db);
}

if (url !== undefined) {
  describe("query plans of the hot queries on PostgreSQL", () => {
    let store: TestStore;
    const captured: { node: RootOperationNode; queryId: unknown }[] = [];
    const capture: KyselyPlugin = {
      transformQuery(args) {
        captured.push({ node: args.node, queryId: args.queryId });
        return args.node;
      },
      transformResult: async (args) => args.result,
    };

    before(async () => {
      store = await openTestStore({ backend: "postgres" });
      await seed(store);
    });
    after(() => store.close());

    /** Runs a repository call, then EXPLAINs every statement it issued. */
    async function plansOf(call: (db: TestStore["db"]) => Promise<unknown>): Promise<PlanNode[][]> {
      captured.length = 0;
      await call(store.db.withPlugin(capture));
      const statements = captured.map(({ node, queryId }) =>
        store.db.getExecutor().compileQuery(node, queryId as Parameters<ReturnType<TestStore["db"]["getExecutor"]>["compileQuery"]>[1]),
      );
      // One connection, so that the settings apply to the EXPLAINs.
      return store.db.connection().execute(async (connection) => {
        await sql`set enable_seqscan = off`.execute(connection);
        await sql`set enable_bitmapscan = off`.execute(connection);
        const plans: PlanNode[][] = [];
        for (const statement of statements) {
          const explained = await connection.executeQuery<{ "QUERY PLAN": { Plan: PlanNode }[] }>(
            CompiledQuery.raw(`explain (format json) ${statement.sql}`, [...statement.parameters]),
          );
          const plan = explained.rows[0]?.["QUERY PLAN"][0]?.Plan;
          if (plan !== undefined) plans.push(flatten(plan));
        }
        await sql`reset enable_seqscan`.execute(connection);
        await sql`reset enable_bitmapscan`.execute(connection);
        return plans;
      });
    }

    async function assertIndexScan(call: (db: TestStore["db"]) => Promise<unknown>, table: string, index: string): Promise<void> {
      const plans = await plansOf(call);
      assert.ok(plans.length > 0, "the call issued a statement");
      const nodes = plans.flat();
      const scans = nodes.filter((node) => node["Relation Name"] === table);
      const described = JSON.stringify(nodes.map((node) => [node["Node Type"], node["Relation Name"], node["Index Name"]]));
      assert.ok(
        scans.some((node) => /^Index (Only )?Scan$/.test(node["Node Type"]) && node["Index Name"] === index),
        `${table} is read through ${index}; the plan was ${described}`,
      );
      assert.ok(!scans.some((node) => node["Node Type"] === "Seq Scan"), `${table} is not read whole; the plan was ${described}`);
    }

    it("a followers collection page uses follows_followee, and its count the counter's key", async () => {
      await assertIndexScan((db) => createFollowRepository(db, createPreparedQueries()).listFollowers(ALICE, "accepted", { limit: 20 }), "follows", "follows_followee");
      await assertIndexScan((db) => createFollowRepository(db, createPreparedQueries()).countFollowers(ALICE, "accepted"), "follow_counts", "follow_counts_key");
    });

    it("an incoming activity's local recipients among its sender's followers use follows_followee", async () => {
      const sender = "https://remote7.example/users/u7";
      await assertIndexScan((db) => createFollowRepository(db, createPreparedQueries()).localFollowers(sender), "follows", "follows_followee");
    });

    it("the fan-out's recipients use follows_followee and the actors' primary key", async () => {
      await assertIndexScan((db) => createFollowRepository(db, createPreparedQueries()).followerInboxes(ALICE), "follows", "follows_followee");
      await assertIndexScan((db) => createFollowRepository(db, createPreparedQueries()).followerInboxes(ALICE), "actors", "actors_pkey");
    });

    it("an outbox page uses activities_outbox, and its count the counters' key", async () => {
      await assertIndexScan(
        (db) => createActivityRepository(db, createPreparedQueries()).listByActor(ALICE, { visibilities: PUBLIC }, { limit: 20 }),
        "activities",
        "activities_outbox",
      );
      await assertIndexScan((db) => createActivityRepository(db, createPreparedQueries()).countByActor(ALICE, { visibilities: PUBLIC }), "outbox_counts", "outbox_counts_key");
    });

    it("removing an actor's activities finds them through activities_actor_object, which holds received ones too", async () => {
      await assertIndexScan(
        (db) => createActivityRepository(db, createPreparedQueries()).removeByActor("https://remote7.example/users/u7"),
        "activities",
        "activities_actor_object",
      );
    });

    it("a replies collection page uses objects_reply", async () => {
      await assertIndexScan(
        (db) => createObjectRepository(db, createPreparedQueries()).listReplies("https://outpost.test/objects/7", { visibilities: ["public"] }, { limit: 20 }),
        "objects",
        "objects_reply",
      );
    });

    it("an owner's inbox page uses inbox_entries_list", async () => {
      await assertIndexScan(
        (db) => createInboxEntryRepository(db, createPreparedQueries()).list(ALICE, { visibilities: PUBLIC }, { limit: 20 }),
        "inbox_entries",
        "inbox_entries_list",
      );
    });

    it("inbox processing finds a known activity by id and a signature's key by key id through their keys", async () => {
      await assertIndexScan((db) => createActivityRepository(db, createPreparedQueries()).get("https://outpost.test/activities/8"), "activities", "activities_uri_key");
      await assertIndexScan((db) => createKeyRepository(db, createPreparedQueries()).get("https://remote1.example/users/u1#main-key"), "keys", "keys_pkey");
    });

    it("claiming jobs reads the first due jobs in order through jobs_claim, without sorting the backlog", async () => {
      await assertIndexScan(
        (db) => createJobRepository(db, "postgres").claim({ queues: ["inbox", "deliver"], limit: 32, workerId: "w", leaseMs: 60_000, now: new Date() }),
        "jobs",
        "jobs_claim",
      );
    });

    it("a publication's delivery progress uses jobs_group, and purging finished jobs jobs_finished", async () => {
      await assertIndexScan((db) => createJobRepository(db, "postgres").countByGroup("group-7"), "jobs", "jobs_group");
      await assertIndexScan(
        (db) => createJobRepository(db, "postgres").purge({ olderThan: "2000-01-01T00:00:00.000Z", includeFailed: true }),
        "jobs",
        "jobs_finished",
      );
    });

    it("de-duplication rests on unique indexes: queued jobs by dedupe key, stored activities by id", async () => {
      const { rows } = await sql<{ indexname: string; indexdef: string }>`
        select indexname, indexdef from pg_indexes where schemaname = current_schema()
        and indexname in ('jobs_dedupe_key_key', 'activities_uri_key') order by indexname`.execute(store.db);
      assert.deepEqual(rows.map((row) => row.indexname), ["activities_uri_key", "jobs_dedupe_key_key"]);
      for (const row of rows) assert.match(row.indexdef, /^CREATE UNIQUE INDEX/);
    });
  });
}

describe("query plans of the outbox on SQLite", () => {
  // SQLite uses a partial index only when the statement itself says that it asks for no other rows.
  it("an outbox page reads activities_outbox, which holds local activities only, and removing an actor's activities activities_actor_object", async () => {
    const store = await openTestStore({ backend: "sqlite" });
    try {
      const statements: string[] = [];
      const capture: KyselyPlugin = {
        transformQuery(args) {
          statements.push(store.db.getExecutor().compileQuery(args.node, args.queryId).sql);
          return args.node;
        },
        transformResult: async (args) => args.result,
      };
      const activities = createActivityRepository(store.db.withPlugin(capture), createPreparedQueries());
      const planOf = async (call: () => Promise<unknown>): Promise<string> => {
        statements.length = 0;
        await call();
        assert.equal(statements.length, 1, "the call issued one statement");
        // Explained with nulls for its parameters: the plan depends on the SQL text, not on the values.
        const parameters = (statements[0]!.match(/\?/g) ?? []).map(() => null);
        const { rows } = await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${statements[0]!}`, parameters));
        return rows.map((row) => row.detail).join("; ");
      };
      assert.match(await planOf(() => activities.listByActor(ALICE, { visibilities: PUBLIC }, { limit: 20 })), /USING INDEX activities_outbox /);
      assert.match(await planOf(() => activities.removeByActor("https://remote.example/users/u7")), /USING (COVERING )?INDEX activities_actor_object /);
      const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where name = 'activities_outbox'`.execute(store.db);
      assert.match(rows[0]?.sql ?? "", /where\s+"?local"?\s*=\s*1\s*$/i);
    } finally {
      await store.close();
    }
  });
});
