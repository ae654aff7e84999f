import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { verifyRequest } from "../crypto/verify-request.ts";
import type { ActorRecord } from "../store/records.ts";
import { createSqlStore } from "../store/sql-store.ts";
import { runOutpost } from "./cli-harness.ts";

const ORIGIN = "https://social.example";

/** A POST a remote inbox received. */
interface ReceivedPost {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * A stand-in remote server on loopback: it serves two actors' documents,
 * records every POST, accepts bob's deliveries and answers carol's with 503.
 */
function startRemoteServer(): Promise<{ server: Server; base: string; received: ReceivedPost[] }> {
  const received: ReceivedPost[] = [];
  let base = "";
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "/";
      if (request.method === "POST") {
        received.push({ path, headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(path === "/users/carol/inbox" ? 503 : 202).end();
        return;
      }
      const username = /^\/users\/(bob|carol)$/.exec(path)?.[1];
      if (username === undefined) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { "Content-Type": "application/activity+json" });
      response.end(
        JSON.stringify({
          "@context": "https://www.w3.org/ns/activitystreams",
          id: `${base}/users/${username}`,
          type: "Person",
          preferredUsername: username,
          inbox: `${base}/users/${username}/inbox`,
        }),
      );
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({ server, base, received });
    });
  });
}

function remoteActor(base: string, username: string, now: string): ActorRecord {
  const uri = `${base}/users/${username}`;
  return {
    uri,
    type: "Person",
    username,
    host: new URL(base).host,
    local: false,
    inbox: `${uri}/inbox`,
    sharedInbox: null,
    outbox: null,
    followersUri: null,
    followingUri: null,
    featuredUri: null,
    url: null,
    name: null,
    summary: null,
    iconUrl: null,
    manuallyApprovesFollowers: false,
    discoverable: true,
    alsoKnownAs: [],
    movedTo: null,
    fields: [],
    published: null,
    updatedAt: now,
    fetchedAt: now,
    deletedAt: null,
    document: { id: uri, type: "Person", preferredUsername: username, inbox: `${uri}/inbox` },
  };
}

describe("outpost post (as a child process)", () => {
  let dataDir: string;
  let env: Record<string, string>;
  let remote: Awaited<ReturnType<typeof startRemoteServer>>;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "outpost-cli-post-"));
    env = { OUTPOST_DATA_DIR: dataDir, OUTPOST_ORIGIN: ORIGIN, OUTPOST_ALLOW_PRIVATE_ADDRESSES: "1" };
    remote = await startRemoteServer();
  });
  after(async () => {
    remote.server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("delivers a post to followers, signed, and leaves failed deliveries for the server to retry", async () => {
    const created = await runOutpost({ args: ["actor", "create", "alice"], env });
    assert.equal(created.code, 0, created.stderr);

    // Two remote followers, as if they had followed earlier.
    const store = await createSqlStore({ dataDir });
    const now = new Date().toISOString();
    let alicePublicKey: string;
    try {
      for (const username of ["bob", "carol"]) {
        const follower = remoteActor(remote.base, username, now);
        await store.actors.put(follower);
        await store.follows.put({
          followerUri: follower.uri,
          followeeUri: `${ORIGIN}/users/alice`,
          activityUri: `${follower.uri}#follows/1`,
          state: "accepted",
          createdAt: now,
        });
      }
      const [key] = await store.keys.listForOwner(`${ORIGIN}/users/alice`);
      assert.ok(key);
      alicePublicKey = key.publicKeyPem;
    } finally {
      await store.close();
    }

    const posted = await runOutpost({ args: ["post", "alice", "Hello, #fediverse!"], env });
    assert.equal(posted.code, 0, posted.stderr);
    const postUrl = /Posted: (\S+)/.exec(posted.stdout)?.[1];
    assert.ok(postUrl?.startsWith(`${ORIGIN}/users/alice/objects/`), posted.stdout);
    assert.match(posted.stdout, /Delivered to 1 of 2 inboxes; 1 delivery will be retried by the server/);

    const delivery = remote.received.find((post) => post.path === "/users/bob/inbox");
    assert.ok(delivery, "bob's inbox received the post");
    const activity = JSON.parse(delivery.body.toString("utf8")) as { type: string; object: { id: string; content: string } };
    assert.equal(activity.type, "Create");
    assert.equal(activity.object.id, postUrl);
    assert.match(activity.object.content, /Hello, /);

    assert.match(String(delivery.headers.signature), /keyId="https:\/\/social\.example\/users\/alice#main-key"/);
    assert.ok(delivery.headers.digest, "the body's digest is sent and signed");
    const headers = new Headers();
    for (const [name, value] of Object.entries(delivery.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    const verified = await verifyRequest({
      method: "POST",
      url: `${remote.base}/users/bob/inbox`,
      headers,
      body: new Uint8Array(delivery.body),
      resolveKey: async () => ({ publicKeyPem: alicePublicKey, ownerUri: `${ORIGIN}/users/alice` }),
    });
    assert.ok(verified.ok, verified.ok ? "" : verified.message);

    assert.ok(remote.received.some((post) => post.path === "/users/carol/inbox"), "carol's inbox was tried");
  });

  it("reports a post of an unknown actor as a failure", async () => {
    const run = await runOutpost({ args: ["post", "nobody", "Hello"], env });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no local actor named "nobody"/);
  });
});
