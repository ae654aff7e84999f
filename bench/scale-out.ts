/**
 * Scale-out benchmark: how background work grows with worker processes on one
 * PostgreSQL database. For 1 and 2 `outpost serve --role worker` processes
 * it measures
 *
 * - delivery throughput: one post to N followers, each behind its own inbox
 *   on a loopback sink that verifies every signature; deliveries per second
 *   from the publish to the last inbox;
 * - inbox throughput: M signed Create(Note) activities from followed remote
 *   accounts, posted to one `outpost serve --role web` process; activities per
 *   second from the first request to the last inbox job done.
 *
 * Every run uses a schema of its own, dropped afterwards. Not a test: the
 * figures depend on the machine, and are printed as a table.
 *
 *   node bench/scale-out.ts [--inboxes N] [--activities M] [--workers 1,2]
 *
 * The database is OUTPOST_BENCH_DATABASE_URL, else OUTPOST_TEST_DATABASE_URL.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { parseArgs } from "node:util";
import pg from "pg";
import { generateRsaKeyPair } from "../src/crypto/keys.ts";
import { signRequest } from "../src/crypto/verify-request.ts";
import { instanceActor } from "../src/federation/actors/instance-actor.ts";
import { createLocalActor } from "../src/federation/actors/local-actors.ts";
import { createPost } from "../src/federation/outbox/actions/create-post.ts";
import { createSqlStore, type SqlStore } from "../src/store/sql-store.ts";
import { startInboxSink } from "../test/scale/support/inbox-sink.ts";
import { createFanOutContext, FAN_OUT_ORIGIN, seedFanOut } from "../test/scale/support/fan-out-world.ts";
import { startServeProcess, type ServeProcess } from "../test/scale/support/worker-process.ts";

const { values } = parseArgs({
  options: {
    inboxes: { type: "string", default: "2000" },
    activities: { type: "string", default: "2000" },
    workers: { type: "string", default: "1,2" },
  },
});
const INBOXES = Number(values.inboxes);
const ACTIVITIES = Number(values.activities);
const WORKER_COUNTS = values.workers.split(",").map(Number).filter((n) => n > 0);
const SENDERS = 20;
const SEND_CONCURRENCY = 32;

const databaseUrl = process.env.OUTPOST_BENCH_DATABASE_URL || process.env.OUTPOST_TEST_DATABASE_URL;
if (databaseUrl === undefined || databaseUrl === "") {
  process.stderr.write("Set OUTPOST_BENCH_DATABASE_URL (or OUTPOST_TEST_DATABASE_URL) to a PostgreSQL database.\n");
  process.exit(2);
}
const log = (line: string) => process.stderr.write(`[scale-out] ${line}\n`);

/** A fresh schema, its store opened (and migrated) here, and how to remove it. */
async function freshSchema(): Promise<{ store: SqlStore; schema: string; url: string; drop(): Promise<void> }> {
  const schema = `bench_scale_${randomBytes(4).toString("hex")}`;
  const store = await createSqlStore({ url: databaseUrl!, schema, poolSize: 10 });
  const url = new URL(databaseUrl!);
  url.searchParams.set("schema", schema);
  return {
    store,
    schema,
    url: url.href,
    async drop() {
      await store.close();
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

function workerEnv(url: string, origin: string): Record<string, string> {
  return { OUTPOST_DATABASE_URL: url, OUTPOST_ORIGIN: origin, OUTPOST_ALLOW_PRIVATE_ADDRESSES: "1", OUTPOST_LOG_LEVEL: "error" };
}

async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function stopAll(processes: readonly ServeProcess[]): Promise<void> {
  await Promise.all(processes.map((child) => child.stop()));
}

/** Deliveries per second of one post to INBOXES followers with `workers` processes. */
async function measureDeliveries(workers: number): Promise<number> {
  const db = await freshSchema();
  const keys = new Map<string, string>();
  const sink = await startInboxSink({ keys });
  let children: ServeProcess[] = [];
  try {
    const ctx = createFanOutContext({ store: db.store });
    const seed = await seedFanOut(ctx, { username: "alice", followers: INBOXES, inboxUrl: (n) => sink.inboxUrl(n) });
    for (const [keyId, pem] of seed.keys) keys.set(keyId, pem);
    const env = workerEnv(db.url, FAN_OUT_ORIGIN);
    children = await Promise.all(Array.from({ length: workers }, () => startServeProcess({ role: "worker", env })));
    const started = performance.now();
    const published = await createPost(ctx, { actor: seed.actor, text: "Benchmark post" });
    if (!published.ok) throw new Error(published.message);
    await waitUntil(() => sink.counts().processed >= INBOXES, 600_000, "every delivery");
    const seconds = (performance.now() - started) / 1000;
    if (sink.counts().refused > 0) throw new Error(`${sink.counts().refused} deliveries did not verify`);
    return INBOXES / seconds;
  } finally {
    await stopAll(children);
    await sink.close();
    await db.drop();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A remote account that sends to the instance: stored as fetched, and followed by alice, so its posts are kept. */
interface Sender {
  readonly uri: string;
  readonly keyId: string;
  readonly privateKeyPem: string;
}

async function seedSenders(db: SqlStore, aliceUri: string): Promise<Sender[]> {
  const now = new Date().toISOString();
  const senders: Sender[] = [];
  for (let n = 0; n < SENDERS; n++) {
    const origin = `https://sender${n}.example`;
    const uri = `${origin}/users/s${n}`;
    const pair = await generateRsaKeyPair();
    await db.actors.put({
      uri, type: "Person", username: `s${n}`, host: `sender${n}.example`, local: false, inbox: `${uri}/inbox`,
      sharedInbox: `${origin}/inbox`, outbox: null, followersUri: `${uri}/followers`, followingUri: null, featuredUri: null,
      url: null, name: null, summary: null, iconUrl: null, manuallyApprovesFollowers: false, discoverable: true,
      alsoKnownAs: [], movedTo: null, fields: [], published: null, updatedAt: now, fetchedAt: now, deletedAt: null,
      document: { id: uri, type: "Person" },
    });
    await db.keys.put({ keyId: `${uri}#main-key`, ownerUri: uri, publicKeyPem: pair.publicKeyPem, privateKeyPem: null });
    await db.follows.put({ followerUri: aliceUri, followeeUri: uri, activityUri: `${aliceUri}#follows/${n}`, state: "accepted", createdAt: now });
    senders.push({ uri, keyId: `${uri}#main-key`, privateKeyPem: pair.privateKeyPem });
  }
  return senders;
}

function noteActivity(sender: Sender, n: number): string {
  const id = `${sender.uri}/statuses/${n}`;
  const published = new Date().toISOString();
  return JSON.stringify({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${id}/activity`,
    type: "Create",
    actor: sender.uri,
    published,
    to: ["https://www.w3.org/ns/activitystreams#Public"],
    cc: [`${sender.uri}/followers`],
    object: {
      id,
      type: "Note",
      attributedTo: sender.uri,
      published,
      to: ["https://www.w3.org/ns/activitystreams#Public"],
      cc: [`${sender.uri}/followers`],
      content: `<p>Status ${n} from the scale-out benchmark, long enough to look like a post.</p>`,
    },
  });
}

/** Signed activities per second received by one web process and processed by `workers` worker processes. */
async function measureInbox(workers: number): Promise<number> {
  const db = await freshSchema();
  let children: ServeProcess[] = [];
  try {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const env = {
      ...workerEnv(db.url, origin),
      PORT: String(port),
      HOST: "127.0.0.1",
      // Every request comes from loopback; a distinct X-Forwarded-For per sender keeps the per-client limit out of the figure.
      OUTPOST_TRUST_PROXY: "1",
    };
    // The instance actor and alice exist before any process starts, so that none of them races to create them.
    const ctx = createFanOutContext({ store: db.store, origin });
    await instanceActor(ctx);
    const alice = await createLocalActor(ctx, { username: "alice" });
    if (!alice.ok) throw new Error(alice.message);
    const senders = await seedSenders(db.store, alice.actor.uri);
    const bodies = Array.from({ length: ACTIVITIES }, (_, n) => ({ sender: senders[n % SENDERS]!, body: noteActivity(senders[n % SENDERS]!, n) }));
    children = await Promise.all([
      startServeProcess({ role: "web", env }),
      ...Array.from({ length: workers }, () => startServeProcess({ role: "worker", env })),
    ]);

    const inboxUrl = `${origin}/users/alice/inbox`;
    const started = performance.now();
    let next = 0;
    let rejected = 0;
    const send = async () => {
      while (next < bodies.length) {
        const { sender, body } = bodies[next++]!;
        const headers = signRequest({
          method: "POST",
          url: inboxUrl,
          headers: new Headers({ "content-type": "application/activity+json", "x-forwarded-for": `203.0.113.${senders.indexOf(sender) + 1}` }),
          body: new TextEncoder().encode(body),
          keyId: sender.keyId,
          privateKey: sender.privateKeyPem,
        });
        const response = await fetch(inboxUrl, { method: "POST", headers, body });
        await response.arrayBuffer();
        if (response.status >= 300) rejected += 1;
      }
    };
    await Promise.all(Array.from({ length: SEND_CONCURRENCY }, send));
    if (rejected > 0) throw new Error(`${rejected} activities were refused by the inbox`);
    await waitUntil(
      async () => {
        const pending = await db.store.db
          .selectFrom("jobs")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("queue", "=", "inbox")
          .where("status", "=", "pending")
          .executeTakeFirst();
        return Number(pending?.n ?? 0) === 0;
      },
      600_000,
      "every inbox job",
    );
    return ACTIVITIES / ((performance.now() - started) / 1000);
  } finally {
    await stopAll(children);
    await db.drop();
  }
}

const rows: { workers: number; deliveries: number; inbox: number }[] = [];
for (const workers of WORKER_COUNTS) {
  log(`${workers} worker(s): delivering one post to ${INBOXES} inboxes…`);
  const deliveries = await measureDeliveries(workers);
  log(`${workers} worker(s): ${ACTIVITIES} signed activities into the inbox…`);
  const inbox = await measureInbox(workers);
  rows.push({ workers, deliveries, inbox });
}

const header = ["Workers", "Deliveries/s", "Inbox activities/s"];
const lines = rows.map((row) => [String(row.workers), row.deliveries.toFixed(0), row.inbox.toFixed(0)]);
const widths = header.map((cell, i) => Math.max(cell.length, ...lines.map((line) => line[i]!.length)));
const format = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i]!)).join("  ");
process.stdout.write(
  `Scale-out on PostgreSQL: ${INBOXES} inboxes per post, ${ACTIVITIES} incoming activities, one web process\n` +
    `${format(header)}\n${lines.map(format).join("\n")}\n`,
);
