/**
 * Inbox processing moving to a thread of its own during a burst and back
 * when the burst is over, in a real Outpost on a SQLite file: every activity
 * is stored whichever thread processed it, the thread's log reaches the
 * Outpost's logger, and host handlers keep processing where they can run.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { remoteActor, signedDelivery, type RemoteActor } from "../../src/federation/inbox/inbox.test-support.ts";
import { createOutpost, type Outpost, type OutpostOptions } from "../../src/outpost.ts";
import { waitFor } from "../support/wait-for.ts";

const ORIGIN = "https://outpost.example";
const MOVED = "inbox processing moved to a thread of its own";
const BACK = "inbox processing is back on the main thread";

interface LogLine {
  readonly msg?: string;
  readonly thread?: string;
  readonly [field: string]: unknown;
}

describe("inbox processing on a thread of its own", () => {
  let actorServer: Server;
  let sender: RemoteActor;
  let dataRoot: string;

  before(async () => {
    dataRoot = await mkdtemp(join(tmpdir(), "outpost-inbox-thread-"));
    // The sender's actor document, where the Outpost fetches its key.
    actorServer = createServer((request, response) => {
      if (request.url !== new URL(sender.uri).pathname) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { "content-type": "application/activity+json" }).end(JSON.stringify(sender.document));
    });
    await new Promise<void>((resolve) => actorServer.listen(0, "127.0.0.1", resolve));
    const address = actorServer.address();
    assert.ok(address !== null && typeof address === "object");
    sender = remoteActor({ username: "sender", origin: `http://127.0.0.1:${address.port}` });
  });
  after(async () => {
    await new Promise((resolve) => actorServer.close(resolve));
    await rm(dataRoot, { recursive: true, force: true });
  });

  async function startOutpost(name: string, options: Partial<OutpostOptions> = {}): Promise<{ outpost: Outpost; log: LogLine[] }> {
    const log: LogLine[] = [];
    const logger = pino({ level: "debug" }, { write: (line: string) => void log.push(JSON.parse(line) as LogLine) });
    const outpost = await createOutpost({
      origin: ORIGIN,
      dataDir: join(dataRoot, name),
      actor: { username: "alice" },
      config: { allowPrivateAddresses: true },
      rateLimits: false,
      logger,
      inboxThread: { startAfterJobs: 10, idleMs: 300 },
      ...options,
    });
    await outpost.start();
    return { outpost, log };
  }

  /** POSTs Creates of direct notes to alice, numbered from `first`, at once; each must be accepted. */
  async function deliverNotes(outpost: Outpost, first: number, count: number): Promise<string[]> {
    const alice = `${ORIGIN}/users/alice`;
    const notes = Array.from({ length: count }, (_, index) => `${sender.uri}/statuses/${first + index}`);
    await Promise.all(
      notes.map(async (note) => {
        const delivery = signedDelivery({
          url: `${ORIGIN}/inbox`,
          signer: sender,
          activity: {
            "@context": "https://www.w3.org/ns/activitystreams",
            id: `${note}/activity`,
            type: "Create",
            actor: sender.uri,
            to: [alice],
            object: { id: note, type: "Note", attributedTo: sender.uri, to: [alice], content: `<p>note ${note}</p>`, published: new Date().toISOString() },
          },
        });
        const response = await outpost.handle(
          new Request(delivery.url, { method: "POST", headers: delivery.headers, body: Buffer.from(delivery.body) }),
        );
        assert.equal(response.status, 202, await response.text());
      }),
    );
    return notes;
  }

  async function allStored(outpost: Outpost, notes: readonly string[]): Promise<void> {
    await waitFor(async () => (await Promise.all(notes.map((note) => outpost.store.objects.get(note)))).every((object) => object !== null), {
      message: `${notes.length} notes to be stored`,
    });
  }

  it("moves during a burst, stores every activity, and comes back when the burst is over", async () => {
    // Idle long enough for the second burst to find the thread still there on a busy machine.
    const { outpost, log } = await startOutpost("burst", { inboxThread: { startAfterJobs: 10, idleMs: 2000 } });
    try {
      // The first burst is processed here while the thread starts.
      await allStored(outpost, await deliverNotes(outpost, 0, 40));
      await waitFor(() => log.some((line) => line.msg === MOVED), { message: "the thread to take over" });
      const burstStart = log.length;
      await allStored(outpost, await deliverNotes(outpost, 40, 40));
      // The thread's own log lines come through the Outpost's logger, marked as the thread's; they
      // travel as messages, so the last ones may arrive after the notes are stored.
      const processedOnThread = () => log.slice(burstStart).filter((line) => line.msg === "processed an activity");
      await waitFor(() => processedOnThread().length >= 40, { message: "the thread's log lines to arrive" });
      assert.equal(processedOnThread().length, 40);
      assert.ok(processedOnThread().every((line) => line.thread === "inbox"));
      assert.equal(log.filter((line) => line.msg === MOVED).length, 1, "the thread started once");

      await waitFor(() => log.some((line) => line.msg === BACK), { message: "the thread to stop after its idle time" });
      // A few activities later, on the main thread again.
      const before = log.length;
      await allStored(outpost, await deliverNotes(outpost, 100, 3));
      const processed = log.slice(before).filter((line) => line.msg === "processed an activity");
      assert.equal(processed.length, 3);
      assert.ok(processed.every((line) => line.thread === undefined));
    } finally {
      await outpost.stop();
    }
  });

  it("stays on the main thread where a host handler must see the activities", async () => {
    const seen: string[] = [];
    const { outpost, log } = await startOutpost("handler");
    outpost.on("Create", (event) => {
      seen.push(event.activity.id);
    });
    try {
      const notes = await deliverNotes(outpost, 0, 40);
      await allStored(outpost, notes);
      await waitFor(() => seen.length === notes.length, { message: "the handler to see every Create" });
      assert.deepEqual([...seen].sort(), notes.map((note) => `${note}/activity`).sort());
      assert.equal(log.filter((line) => line.msg === MOVED).length, 0);
    } finally {
      await outpost.stop();
    }
  });

  it("stays on the main thread, and says why, where the app's own fetch must be used", async () => {
    const { outpost, log } = await startOutpost("fetch", { fetch: globalThis.fetch });
    try {
      assert.ok(log.some((line) => line.msg === "inbox processing stays on the main thread" && line.reason === "a fetch was given"));
      await allStored(outpost, await deliverNotes(outpost, 0, 40));
      assert.equal(log.filter((line) => line.msg === MOVED).length, 0);
    } finally {
      await outpost.stop();
    }
  });

  it("stays on the main thread unless asked to move", async () => {
    const { outpost, log } = await startOutpost("off", { inboxThread: undefined });
    try {
      await allStored(outpost, await deliverNotes(outpost, 0, 40));
      assert.equal(log.filter((line) => line.msg === MOVED).length, 0);
    } finally {
      await outpost.stop();
    }
  });
});
