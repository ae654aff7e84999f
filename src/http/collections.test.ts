import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ActorRecord } from "../store/records.ts";
import { createHttpTestServer, ORIGIN, seedLocalActor, seedPost, type HttpTestServer } from "./http.test-support.ts";
import { ACTIVITY_JSON } from "./negotiation.ts";

interface CollectionDoc {
  id: string;
  type: string;
  totalItems: number;
  first?: string;
  last?: string;
  orderedItems?: unknown[];
  partOf?: string;
  next?: string;
  prev?: string;
}

describe("collections", () => {
  let server: HttpTestServer;
  let alice: ActorRecord;
  /** Create activity ids of alice's public and unlisted posts, oldest first. */
  const visibleCreates: string[] = [];
  const followerUris: string[] = [];

  before(async () => {
    server = await createHttpTestServer();
    alice = await seedLocalActor(server.ctx, { username: "alice" });
    const start = Date.parse("2024-01-01T00:00:00Z");
    for (let i = 0; i < 45; i++) {
      const visibility = i % 9 === 4 ? "unlisted" : "public";
      const post = await seedPost(server.ctx, {
        author: alice,
        content: `<p>post ${i}</p>`,
        visibility,
        published: new Date(start + i * 60_000).toISOString(),
      });
      visibleCreates.push(post.createUri);
      if (i % 10 === 0) {
        await seedPost(server.ctx, {
          author: alice,
          content: `<p>private ${i}</p>`,
          visibility: i % 20 === 0 ? "followers" : "direct",
          mentions: ["https://remote.example/users/bob"],
          published: new Date(start + i * 60_000 + 1000).toISOString(),
        });
      }
    }
    for (let i = 0; i < 85; i++) {
      const followerUri = `https://remote${i}.example/users/f`;
      followerUris.push(followerUri);
      await server.ctx.store.follows.put({
        followerUri,
        followeeUri: alice.uri,
        activityUri: `https://remote${i}.example/follows/1`,
        state: "accepted",
        createdAt: new Date(start + i * 1000).toISOString(),
      });
    }
    await server.ctx.store.follows.put({
      followerUri: "https://pending.example/users/p",
      followeeUri: alice.uri,
      activityUri: "https://pending.example/follows/1",
      state: "pending",
      createdAt: new Date().toISOString(),
    });
  });
  after(() => server.close());

  const getJson = async (url: string): Promise<CollectionDoc> => {
    const response = await server.request(url, { headers: { accept: ACTIVITY_JSON } });
    assert.equal(response.status, 200, url);
    assert.equal(response.headers.get("content-type"), ACTIVITY_JSON);
    return (await response.json()) as CollectionDoc;
  };
  const idsOf = (page: CollectionDoc) =>
    (page.orderedItems ?? []).map((item) => (typeof item === "string" ? item : (item as { id: string }).id));

  it("describes the outbox with only public and unlisted posts counted", async () => {
    const outbox = await getJson("/users/alice/outbox");
    assert.equal(outbox.type, "OrderedCollection");
    assert.equal(outbox.id, `${ORIGIN}/users/alice/outbox`);
    assert.equal(outbox.totalItems, 45);
    assert.equal(outbox.first, `${ORIGIN}/users/alice/outbox?page=true`);
    assert.equal(outbox.last, `${ORIGIN}/users/alice/outbox?page=true&after=`);
    assert.equal(outbox.orderedItems, undefined);
  });

  it("pages through the outbox newest first, with next and prev consistent", async () => {
    const newestFirst = [...visibleCreates].reverse();
    const pages: CollectionDoc[] = [];
    let url: string | undefined = `${ORIGIN}/users/alice/outbox?page=true`;
    while (url !== undefined) {
      const page = await getJson(url);
      assert.equal(page.type, "OrderedCollectionPage");
      assert.equal(page.partOf, `${ORIGIN}/users/alice/outbox`);
      assert.equal(page.id, url);
      assert.equal(page.totalItems, 45);
      pages.push(page);
      url = page.next;
    }
    assert.deepEqual(pages.map((page) => page.orderedItems?.length), [20, 20, 5]);
    assert.deepEqual(pages.flatMap(idsOf), newestFirst);
    assert.equal(pages[0]?.prev, undefined, "the newest page has nothing newer");
    // Going back from each page gives exactly the page before it.
    for (let i = 1; i < pages.length; i++) {
      const previous = await getJson(pages[i]!.prev!);
      assert.deepEqual(idsOf(previous), idsOf(pages[i - 1]!));
    }
    // Items embed their posts, without private ones anywhere.
    const first = pages[0]!.orderedItems![0] as { type: string; object: { content: string; type: string } };
    assert.equal(first.type, "Create");
    assert.equal(first.object.content, "<p>post 44</p>");
    assert.ok(!JSON.stringify(pages).includes("private"));
  });

  it("serves the oldest page as last, linking to newer items", async () => {
    const last = await getJson(`${ORIGIN}/users/alice/outbox?page=true&after=`);
    assert.deepEqual(idsOf(last), visibleCreates.slice(0, 20).reverse());
    assert.equal(last.next, undefined);
    assert.ok(last.prev !== undefined);
    const newer = await getJson(last.prev);
    assert.deepEqual(idsOf(newer), visibleCreates.slice(20, 40).reverse());
  });

  it("pages followers 40 at a time, accepted ones only", async () => {
    const collection = await getJson("/users/alice/followers");
    assert.equal(collection.totalItems, 85);
    const seen: string[] = [];
    let url: string | undefined = collection.first;
    const sizes: number[] = [];
    while (url !== undefined) {
      const page = await getJson(url);
      sizes.push(page.orderedItems?.length ?? 0);
      seen.push(...idsOf(page));
      url = page.next;
    }
    assert.deepEqual(sizes, [40, 40, 5]);
    assert.deepEqual(seen, [...followerUris].reverse());
  });

  it("serves following, liked and featured", async () => {
    await server.ctx.store.follows.put({
      followerUri: alice.uri,
      followeeUri: "https://remote.example/users/bob",
      activityUri: `${alice.uri}/activities/f1`,
      state: "accepted",
      createdAt: new Date().toISOString(),
    });
    const following = await getJson(`${ORIGIN}/users/alice/following?page=true`);
    assert.deepEqual(following.orderedItems, ["https://remote.example/users/bob"]);

    await server.ctx.store.reactions.add({
      activityUri: `${alice.uri}/activities/l1`,
      type: "Like",
      actorUri: alice.uri,
      objectUri: "https://remote.example/notes/1",
      createdAt: new Date().toISOString(),
    });
    const liked = await getJson(`${ORIGIN}/users/alice/liked?page=true`);
    assert.deepEqual(liked.orderedItems, ["https://remote.example/notes/1"]);

    const pinned = await seedPost(server.ctx, { author: alice, content: "<p>pinned</p>" });
    const hidden = await seedPost(server.ctx, { author: alice, content: "<p>hidden</p>", visibility: "direct" });
    for (const post of [pinned, hidden]) {
      await server.ctx.store.collections.add({
        collectionUri: `${alice.uri}/collections/featured`,
        itemUri: post.object.uri,
        addedAt: new Date().toISOString(),
      });
    }
    const featured = await getJson("/users/alice/collections/featured");
    assert.equal(featured.type, "OrderedCollection");
    assert.equal(featured.totalItems, 1);
    assert.deepEqual(idsOf(featured), [pinned.object.uri]);
  });

  it("answers 400 for a malformed cursor", async () => {
    const response = await server.request("/users/alice/outbox?page=true&before=%3Cx%3E", {
      headers: { accept: ACTIVITY_JSON },
    });
    assert.equal(response.status, 400);
    assert.equal(typeof ((await response.json()) as { error: unknown }).error, "string");
  });

  it("sends browsers to the profile page and 404s unknown actors", async () => {
    const html = await server.request("/users/alice/followers", { headers: { accept: "text/html" } });
    assert.equal(html.status, 302);
    assert.equal(html.headers.get("location"), `${ORIGIN}/@alice`);
    const unknown = await server.request("/users/nobody/outbox", { headers: { accept: ACTIVITY_JSON } });
    assert.equal(unknown.status, 404);
  });

  it("serves replies, likes and shares of a post", async () => {
    const post = await seedPost(server.ctx, { author: alice, content: "<p>discuss</p>" });
    const reply = await seedPost(server.ctx, { author: alice, content: "<p>my reply</p>", inReplyTo: post.object.uri });
    await seedPost(server.ctx, {
      author: alice,
      content: "<p>private reply</p>",
      inReplyTo: post.object.uri,
      visibility: "direct",
    });
    await server.ctx.store.objects.put({
      ...reply.object,
      uri: "https://remote.example/notes/r1",
      local: false,
      attributedTo: "https://remote.example/users/bob",
      document: { id: "https://remote.example/notes/r1", type: "Note", content: "remote reply" },
    });
    await server.ctx.store.reactions.add({
      activityUri: "https://remote.example/likes/1",
      type: "Like",
      actorUri: "https://remote.example/users/bob",
      objectUri: post.object.uri,
      createdAt: new Date().toISOString(),
    });

    const replies = await getJson(`${post.object.uri}/replies?page=true`);
    assert.equal(replies.totalItems, 2);
    assert.deepEqual(idsOf(replies), ["https://remote.example/notes/r1", reply.object.uri]);
    assert.equal(typeof replies.orderedItems?.[0], "string", "remote replies by id");
    assert.equal((replies.orderedItems?.[1] as { content: string }).content, "<p>my reply</p>");

    const likes = await getJson(`${post.object.uri}/likes`);
    assert.equal(likes.totalItems, 1);
    const likesPage = await getJson(likes.first!);
    assert.deepEqual(likesPage.orderedItems, ["https://remote.example/likes/1"]);
    const shares = await getJson(`${post.object.uri}/shares`);
    assert.equal(shares.totalItems, 0);
  });
});
