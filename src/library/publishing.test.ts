import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PUBLIC_COLLECTION } from "../protocol/vocabulary.ts";
import { waitFor } from "../../test/support/wait-for.ts";
import { createLibraryWorld, SITE, type LibraryWorld, type RemoteAccount } from "./library.test-support.ts";

const AP = { accept: "application/activity+json" };
const BLOG = `${SITE}/users/blog`;

type Json = Record<string, any>;

async function followBlog(world: LibraryWorld, follower: RemoteAccount): Promise<void> {
  const response = await world.deliver({
    from: follower,
    to: "blog",
    activity: { id: `${follower.uri}#follows/${Math.random()}`, type: "Follow", actor: follower.uri, object: BLOG },
  });
  assert.equal(response.status, 202);
  // With in-process workers the Follow is processed in the background.
  await waitFor(async () => (await world.outpost.store.follows.get(follower.uri, BLOG))?.state === "accepted", {
    message: `${follower.handle}'s follow to be accepted`,
  });
}

function lastOfType(account: RemoteAccount, type: string): Json {
  const found = account.deliveries().filter((activity) => activity.type === type).at(-1);
  assert.ok(found !== undefined, `${account.handle} received a ${type}`);
  return found as Json;
}

describe("publishObject", () => {
  let world: LibraryWorld;
  let bob: RemoteAccount;
  before(async () => {
    world = await createLibraryWorld({ actor: { username: "blog", name: "A blog" } });
    bob = world.addRemoteAccount("bob");
    await followBlog(world, bob);
  });
  after(() => world.close());

  const article = {
    id: `${SITE}/posts/hello`,
    type: "Article",
    name: "Hello",
    content: "<p>First post<script>steal()</script></p>",
  };

  it("creates an Article under the site's permalink and delivers it to followers", async () => {
    const result = await world.outpost.publishObject(article);
    assert.ok(result.ok, result.ok ? "" : result.message);
    assert.equal(result.objectUri, article.id);
    assert.equal(result.deliveries, 1);
    await world.outpost.runJobsUntilIdle();

    const create = lastOfType(bob, "Create");
    assert.equal(create.actor, BLOG);
    assert.equal(create.object.id, article.id);
    assert.equal(create.object.type, "Article");
    assert.equal(create.object.attributedTo, BLOG);
    assert.equal(create.object.content, "<p>First post</p>", "content is sanitized");
    assert.deepEqual(create.object.to, [PUBLIC_COLLECTION]);
    assert.deepEqual(create.object.cc, [`${BLOG}/followers`]);
    assert.equal(typeof create.object.published, "string");
  });

  it("serves the Article at its permalink to ActivityStreams requests and leaves browsers to the site", async () => {
    const response = await world.outpost.fetch(new Request(article.id, { headers: AP }));
    assert.equal(response?.status, 200);
    assert.match(response?.headers.get("content-type") ?? "", /application\/activity\+json/);
    const served = (await response?.json()) as Json;
    assert.equal(served.id, article.id);
    assert.equal(served.type, "Article");
    assert.ok(served["@context"] !== undefined);

    assert.equal(await world.outpost.fetch(new Request(article.id, { headers: { accept: "text/html,application/xhtml+xml" } })), undefined);
    assert.equal(await world.outpost.fetch(new Request(article.id)), undefined);
    assert.equal(await world.outpost.fetch(new Request(`${SITE}/posts/unknown`, { headers: AP })), undefined);
    const direct = await world.outpost.objectResponse(new Request("http://127.0.0.1/internal-path", { headers: AP }), article.id);
    assert.equal(direct?.status, 200);
  });

  it("refuses to create the same id twice, ids on other origins, and objects that are activities", async () => {
    const again = await world.outpost.publishObject(article);
    assert.equal(again.ok, false);
    assert.equal(again.ok ? "" : again.reason, "alreadyPublished");
    const foreign = await world.outpost.publishObject({ ...article, id: "https://elsewhere.example/posts/hello" });
    assert.equal(foreign.ok ? "" : foreign.reason, "foreignId");
    const activity = await world.outpost.publishObject({ type: "Like", object: article.id });
    assert.equal(activity.ok ? "" : activity.reason, "invalidObject");
  });

  it("updates the Article with a newer `updated`, keeping `published`", async () => {
    const before = (await (await world.outpost.fetch(new Request(article.id, { headers: AP })))?.json()) as Json;
    world.advance(60_000);
    const result = await world.outpost.publishObject({ ...article, content: "<p>Edited</p>" }, { activity: "Update" });
    assert.ok(result.ok, result.ok ? "" : result.message);
    await world.outpost.runJobsUntilIdle();

    const update = lastOfType(bob, "Update");
    assert.equal(update.object.id, article.id);
    assert.equal(update.object.content, "<p>Edited</p>");
    assert.equal(update.object.published, before.published);
    assert.ok(Date.parse(update.object.updated) > Date.parse(before.published), "updated moves forward");
    assert.deepEqual(update.object.to, [PUBLIC_COLLECTION], "the addressing is kept");

    const served = (await (await world.outpost.fetch(new Request(article.id, { headers: AP })))?.json()) as Json;
    assert.equal(served.content, "<p>Edited</p>");
    assert.equal(served.updated, update.object.updated);
  });

  it("deletes the Article: followers get a Tombstone and its permalink answers 410", async () => {
    const result = await world.outpost.publishObject(article.id, { activity: "Delete" });
    assert.ok(result.ok, result.ok ? "" : result.message);
    await world.outpost.runJobsUntilIdle();
    const deletion = lastOfType(bob, "Delete");
    assert.equal(deletion.object.type, "Tombstone");
    assert.equal(deletion.object.id, article.id);

    const gone = await world.outpost.fetch(new Request(article.id, { headers: AP }));
    assert.equal(gone?.status, 410);
    assert.equal(((await gone?.json()) as Json).type, "Tombstone");
    const reused = await world.outpost.publishObject(article);
    assert.equal(reused.ok ? "" : reused.reason, "objectDeleted");
    const updateGone = await world.outpost.publishObject(article, { activity: "Update" });
    assert.equal(updateGone.ok ? "" : updateGone.reason, "objectDeleted");
  });

  it("mints an id under the actor when the object has none", async () => {
    const result = await world.outpost.publishObject({ type: "Note", content: "<p>a note</p>" });
    assert.ok(result.ok && result.objectUri !== undefined);
    assert.ok(result.objectUri.startsWith(`${BLOG}/objects/`));
    const served = await world.outpost.fetch(new Request(result.objectUri, { headers: AP }));
    assert.equal(served?.status, 200);
  });

  it("publishes prebuilt activities, storing the object a Create carries", async () => {
    const note = { id: `${SITE}/notes/1`, type: "Note", content: "<p>prebuilt</p>", to: [PUBLIC_COLLECTION], cc: [`${BLOG}/followers`] };
    const result = await world.outpost.publishActivity({ type: "Create", actor: BLOG, object: note });
    assert.ok(result.ok, result.ok ? "" : result.message);
    assert.equal(result.objectUri, note.id);
    await world.outpost.runJobsUntilIdle();
    // Found by id: deliveries of earlier posts may arrive in any order.
    const create = bob.deliveries().find((activity) => activity.type === "Create" && activity.id === result.activityUri);
    assert.ok(create !== undefined, "bob received the Create");
    assert.deepEqual(create.to, [PUBLIC_COLLECTION], "the activity is addressed like its object");
    assert.equal((await world.outpost.fetch(new Request(note.id, { headers: AP })))?.status, 200);

    const stranger = await world.outpost.publishActivity({ type: "Create", actor: "https://elsewhere.example/users/x", object: note });
    assert.equal(stranger.ok ? "" : stranger.reason, "unknownActor");
  });
});

describe("the social verbs", () => {
  let world: LibraryWorld;
  let carol: RemoteAccount;
  let noteUri: string;
  before(async () => {
    world = await createLibraryWorld({ actor: { username: "blog" } });
    carol = world.addRemoteAccount("carol");
    noteUri = String(world.addRemoteNote({ author: carol, id: `${carol.uri}/statuses/1` }).id);
  });
  after(() => world.close());

  it("like, announce and undo reach the post's author", async () => {
    const like = await world.outpost.like(noteUri);
    assert.ok(like.ok, like.ok ? "" : like.message);
    const announce = await world.outpost.announce(noteUri);
    assert.ok(announce.ok, announce.ok ? "" : announce.message);
    await world.outpost.runJobsUntilIdle();
    assert.equal(lastOfType(carol, "Like").object, noteUri);
    assert.equal(lastOfType(carol, "Announce").object, noteUri);

    const undone = await world.outpost.undo(like);
    assert.ok(undone.ok, undone.ok ? "" : undone.message);
    await world.outpost.runJobsUntilIdle();
    const undo = lastOfType(carol, "Undo");
    assert.equal(undo.object.id, like.activityUri);
    assert.equal((await world.outpost.undo(like)).ok, false, "a like is undone once");
  });

  it("follow sends a Follow that stays pending until accepted, and undo withdraws it", async () => {
    const follow = await world.outpost.follow(`@${carol.handle}`);
    assert.ok(follow.ok, follow.ok ? "" : follow.message);
    await world.outpost.runJobsUntilIdle();
    assert.equal(lastOfType(carol, "Follow").object, carol.uri);
    assert.equal((await world.outpost.store.follows.get(BLOG, carol.uri))?.state, "pending");

    const undone = await world.outpost.undo(follow.activityUri);
    assert.ok(undone.ok, undone.ok ? "" : undone.message);
    assert.equal(await world.outpost.store.follows.get(BLOG, carol.uri), null);
  });

  it("refuses to undo what cannot be undone", async () => {
    const created = await world.outpost.publishObject({ type: "Note", content: "<p>x</p>" });
    assert.ok(created.ok);
    const undone = await world.outpost.undo(created);
    assert.equal(undone.ok ? "" : undone.reason, "notUndoable");
  });
});

describe("publishing with several actors", () => {
  it("needs the actor named", async () => {
    const world = await createLibraryWorld({ actors: [{ username: "blog" }, { username: "news" }] });
    try {
      const unnamed = await world.outpost.publishObject({ type: "Note", content: "<p>x</p>" });
      assert.equal(unnamed.ok ? "" : unnamed.reason, "unknownActor");
      const named = await world.outpost.publishObject({ type: "Note", content: "<p>x</p>" }, { actor: "news" });
      assert.ok(named.ok && named.objectUri?.startsWith(`${SITE}/users/news/objects/`));
      const missing = await world.outpost.publishObject({ type: "Note", content: "<p>x</p>" }, { actor: "nobody" });
      assert.equal(missing.ok ? "" : missing.reason, "unknownActor");
    } finally {
      await world.close();
    }
  });
});

describe("waiting for deliveries", () => {
  it("resolves once every delivery was made or scheduled for a retry, reporting progress", async () => {
    const world = await createLibraryWorld({ actor: { username: "blog" }, workers: "in-process" });
    try {
      await world.outpost.start();
      const good = world.addRemoteAccount("good", "good.example");
      const down = world.addRemoteAccount("down", "down.example");
      await followBlog(world, good);
      await followBlog(world, down);
      down.answerWith(503);

      const progress: [number, number, number][] = [];
      const result = await world.outpost.publishObject(
        { id: `${SITE}/posts/waited`, type: "Article", name: "Waited", content: "<p>x</p>" },
        { waitForDelivery: true, onProgress: (delivered, failed, total) => progress.push([delivered, failed, total]) },
      );
      assert.ok(result.ok, result.ok ? "" : result.message);
      assert.deepEqual(result.progress, { delivered: 1, failed: 1, total: 2 });
      assert.deepEqual(progress.at(-1), [1, 1, 2]);
      assert.ok(progress.every(([, , total]) => total === 2));
      assert.ok(good.deliveries().some((activity) => activity.type === "Create"), "the reachable follower got the post");
      const counts = await world.outpost.store.jobs.countByGroup(result.activityUri);
      assert.equal(counts.pending, 1, "the failed delivery waits for its retry");
    } finally {
      await world.close();
    }
  });

  it("resolves at once when there is nobody to deliver to", async () => {
    const world = await createLibraryWorld({ actor: { username: "blog" } });
    try {
      const progress: number[][] = [];
      const result = await world.outpost.publishObject(
        { type: "Note", content: "<p>alone</p>" },
        { waitForDelivery: true, onProgress: (...counts) => progress.push(counts) },
      );
      assert.ok(result.ok);
      assert.deepEqual(result.progress, { delivered: 0, failed: 0, total: 0 });
      assert.deepEqual(progress, [[0, 0, 0]]);
    } finally {
      await world.close();
    }
  });
});
