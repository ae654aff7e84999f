/**
 * Outpost as the bench runs it: SQLite in a fresh data directory, default
 * settings except that private (loopback) addresses are allowed and the
 * per-client rate limits are off (all load comes from one address); the
 * inbox thread is on where OUTPOST_INBOX_THREAD says so, as for `outpost
 * serve`. Run as a
 * child of bench/run.ts with a JSON {@link ServerLaunchOptions} argument; the
 * control API (control-protocol.ts) lives on a port of its own.
 */
import { existsSync } from "node:fs";
import { generateRsaKeyPairsAhead } from "../../src/crypto/keys.ts";
import type { ActorRecord } from "../../src/store/records.ts";
import { sqliteFileIn } from "../../src/store/sqlite-file.ts";
import { serverLaunchOptionsSchema } from "./control-protocol.ts";
import type { ControlApi, SeedFollower, ServerLaunchOptions, ServerReady } from "./control-protocol.ts";

const options: ServerLaunchOptions = serverLaunchOptionsSchema.parse(JSON.parse(process.argv[2] ?? "{}"));
// As `outpost serve` does on a new database (src/cli/keys-ahead.ts), and as any site can: the key
// the first answer waits for, the declared actor's, is begun before the rest of Outpost loads. The
// instance actor's is made once the declared actor is stored, off the start's path (src/outpost.ts).
if (!existsSync(sqliteFileIn(options.dataDir))) generateRsaKeyPairsAhead(1);
const [
  { sql },
  { createLocalActor, getLocalActor },
  { startIdleCompaction },
  { serveOutpost },
  { createOutpost },
  { createSqlStore },
  { startControlServer },
  { resolveCliConfig },
] = await Promise.all([
  import("kysely"),
  import("../../src/federation/actors/local-actors.ts"),
  import("../../src/cli/idle-compaction.ts"),
  import("../../src/http/node-server.ts"),
  import("../../src/outpost.ts"),
  import("../../src/store/sql-store.ts"),
  import("./control-server.ts"),
  import("../../src/cli/config.ts"),
]);
const origin = `http://127.0.0.1:${options.port}`;

// OUTPOST_INBOX_THREAD is read as `outpost serve` reads it; the bench's other settings are its own.
const cliConfig = resolveCliConfig({ flags: {}, env: { OUTPOST_INBOX_THREAD: process.env.OUTPOST_INBOX_THREAD }, cwd: process.cwd() });
if (!cliConfig.ok) throw new Error(cliConfig.message);

// The store Outpost would open itself, opened here so seeding can write rows in bulk.
const store = await createSqlStore({ dataDir: options.dataDir });
// The first actor is declared, as a site using Outpost as a library declares its actors.
const outpost = await createOutpost({
  origin,
  store,
  actor: { username: options.firstActor },
  config: { allowPrivateAddresses: true },
  rateLimits: false,
  inboxThread: cliConfig.config.inboxThread,
});
const { ctx } = outpost;
await outpost.start();
const server = await serveOutpost({ outpost, port: options.port, hostname: "127.0.0.1" });
// As `outpost serve` does once it is listening.
startIdleCompaction();

const localActor = async (username: string): Promise<ActorRecord> => {
  const actor = await getLocalActor(ctx, username);
  if (actor === null) throw new Error(`no local actor ${username}`);
  return actor;
};

const handlers = {
  "POST /actors": async ({ usernames }: ControlApi["POST /actors"]["body"]) => {
    let created = 0;
    for (const username of usernames) {
      const result = await createLocalActor(ctx, { username });
      if (result.ok) created++;
      else if (result.reason !== "taken") throw new Error(result.message);
    }
    return { created };
  },
  "POST /follow": async ({ actor, targets }: ControlApi["POST /follow"]["body"]) => {
    // Loaded on first use, as `outpost serve` loads the outbox: the start measured here is the server's own.
    const { followActor } = await import("../../src/federation/outbox/actions/follow-actor.ts");
    const follower = await localActor(actor);
    const failures: string[] = [];
    let queued = 0;
    // A few at a time: each follow resolves its target over the network first.
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < targets.length) {
          const target = targets[next++]!;
          const result = await followActor(ctx, { actor: follower, target });
          if (result.ok || result.reason === "alreadyFollowing") queued++;
          else failures.push(`${target}: ${result.reason}: ${result.message}`);
        }
      }),
    );
    if (failures.length > 0) throw new Error(`${failures.length} follows failed, first: ${failures[0]}`);
    return { queued };
  },
  "POST /post": async ({ actor, text }: ControlApi["POST /post"]["body"]) => {
    const { createPost } = await import("../../src/federation/outbox/actions/create-post.ts");
    const result = await createPost(ctx, { actor: await localActor(actor), text });
    if (!result.ok) throw new Error(`${result.reason}: ${result.message}`);
    return { objectId: result.objectUri, activityId: result.activityUri };
  },
  "POST /seed-followers": async ({ actor, followers }: ControlApi["POST /seed-followers"]["body"]) => {
    const followee = await localActor(actor);
    const now = new Date().toISOString();
    await store.transaction(async (tx) => {
      for (const follower of followers) {
        await tx.actors.put(remoteActorRecord(follower, now));
        await tx.follows.put({
          followerUri: follower.id,
          followeeUri: followee.uri,
          activityUri: `${follower.id}#follows/seed-${actor}`,
          state: "accepted",
          createdAt: now,
        });
      }
    });
    return { seeded: followers.length };
  },
  "POST /seed-member-ids": async ({ actor, idPrefix, count }: ControlApi["POST /seed-member-ids"]["body"]) => {
    const followee = await localActor(actor);
    const began = performance.now();
    const createdAt = new Date().toISOString();
    const batch = 1000;
    // Straight into the follows table: a million single-row writes through the repository would take minutes.
    await store.db.transaction().execute(async (trx) => {
      for (let start = 0; start < count; start += batch) {
        const rows = [];
        for (let i = start; i < Math.min(count, start + batch); i++) {
          const followerUri = `${idPrefix}${i}`;
          rows.push({
            follower_uri: followerUri,
            followee_uri: followee.uri,
            activity_uri: `${followerUri}#follows/seed-${actor}`,
            state: "accepted",
            created_at: createdAt,
          });
        }
        await trx.insertInto("follows").values(rows).execute();
      }
    });
    return { seeded: count, ms: performance.now() - began };
  },
  "GET /counts": async (_body: null, query: URLSearchParams) => {
    const username = query.get("actor");
    const actor = username === null ? null : await getLocalActor(ctx, username);
    // A count of the whole table is answered from its smallest index; a filtered one would scan every document.
    const objects = await store.db.selectFrom("objects").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
    // Polled every 100-150 ms while work runs: counting every job by status took milliseconds of the
    // main thread per poll once ingest had left 20,000 done jobs. Pending jobs have an index of their
    // own (jobs_claim), which SQLite uses only when the status is written into the statement.
    const pending = await store.db
      .selectFrom("jobs")
      .select(sql<number>`count(*)`.as("n"))
      .where("status", "=", sql.lit("pending"))
      .executeTakeFirstOrThrow();
    return {
      storedPosts: Number(objects.n),
      following: actor === null ? 0 : await store.follows.countFollowing(actor.uri, "accepted"),
      followers: actor === null ? 0 : await store.follows.countFollowers(actor.uri, "accepted"),
      jobsPending: Number(pending.n),
    };
  },
};
const controlPort = await startControlServer({ token: options.controlToken, handlers });

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close().catch(() => {});
  await outpost.stop();
  await store.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("disconnect", () => void stop());

const ready: ServerReady = { url: server.url, controlPort };
process.send?.({ kind: "event", event: "ready", payload: ready });

function remoteActorRecord(follower: SeedFollower, now: string): ActorRecord {
  const url = new URL(follower.id);
  const username = url.pathname.split("/").at(-1) ?? "someone";
  return {
    uri: follower.id,
    type: "Person",
    username,
    host: url.host,
    local: false,
    inbox: follower.inbox,
    sharedInbox: follower.sharedInbox,
    outbox: `${follower.id}/outbox`,
    followersUri: `${follower.id}/followers`,
    followingUri: `${follower.id}/following`,
    featuredUri: null,
    url: null,
    name: null,
    summary: null,
    iconUrl: null,
    manuallyApprovesFollowers: false,
    discoverable: false,
    alsoKnownAs: [],
    movedTo: null,
    fields: [],
    published: null,
    updatedAt: now,
    fetchedAt: now,
    deletedAt: null,
    document: { id: follower.id, type: "Person", inbox: follower.inbox },
  };
}
