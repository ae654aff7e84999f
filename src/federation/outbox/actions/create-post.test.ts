import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import type { Visibility } from "../../../protocol/addressing.ts";
import { PUBLIC_COLLECTION } from "../../../protocol/vocabulary.ts";
import { createOutboxWorld, type OutboxWorld } from "../outbox-world.test-support.ts";
import { createPost } from "./create-post.ts";

let world: OutboxWorld | undefined;
afterEach(async () => {
  await world?.ctx.store.close();
  world = undefined;
});

async function setUp(): Promise<{ w: OutboxWorld; bob: string }> {
  const w = await createOutboxWorld();
  world = w;
  const bob = w.addRemoteAccount({ username: "bob", host: "a.test" });
  return { w, bob };
}

function noteOf(document: Record<string, unknown>): Record<string, unknown> {
  return document.object as Record<string, unknown>;
}

test("a public post with a mention and a hashtag is addressed, tagged and sent like Mastodon's", async () => {
  const { w, bob } = await setUp();

  const result = await createPost(w.ctx, { actor: w.alice, text: "Hello @bob@a.test, this is #Outpost" });

  assert.ok(result.ok);
  assert.deepEqual(result.unresolvedMentions, []);
  assert.equal(result.deliveries, 1);
  const create = await w.activityDocument(result.activityUri);
  const note = noteOf(create);
  assert.equal(create.type, "Create");
  assert.equal(note.id, result.objectUri);
  assert.equal(note.url, result.objectUri);
  assert.equal(note.attributedTo, w.alice.uri);
  assert.deepEqual(note.to, [PUBLIC_COLLECTION]);
  assert.deepEqual(note.cc, [w.alice.followersUri, bob]);
  assert.deepEqual(create.to, note.to);
  assert.deepEqual(create.cc, note.cc);
  assert.deepEqual(note.tag, [
    { type: "Mention", href: bob, name: "@bob@a.test" },
    { type: "Hashtag", href: "https://local.test/tags/outpost", name: "#outpost" },
  ]);
  assert.match(String(note.content), /<a href="https:\/\/a\.test\/@bob" class="u-url mention">@<span>bob<\/span><\/a>/);
  assert.match(String(note.content), /href="https:\/\/local\.test\/tags\/outpost"/);
  assert.equal(note.replies, `${result.objectUri}/replies`);
  assert.ok(w.ctx.uris.parse(result.objectUri)?.kind === "object");
  assert.ok(w.ctx.uris.parse(result.activityUri)?.kind === "activity");

  const stored = await w.ctx.store.objects.get(result.objectUri);
  assert.equal(stored?.visibility, "public");
  assert.equal(stored?.attributedTo, w.alice.uri);
  assert.deepEqual(await w.deliveriesOf(result.activityUri), ["https://a.test/inbox"]);
});

const VISIBILITY_CASES: { visibility: Visibility; to: (f: string, m: string) => string[]; cc: (f: string, m: string) => string[] }[] = [
  { visibility: "public", to: () => [PUBLIC_COLLECTION], cc: (f, m) => [f, m] },
  { visibility: "unlisted", to: (f) => [f], cc: (_f, m) => [PUBLIC_COLLECTION, m] },
  { visibility: "followers", to: (f) => [f], cc: (_f, m) => [m] },
  { visibility: "direct", to: (_f, m) => [m], cc: () => [] },
];

for (const { visibility, to, cc } of VISIBILITY_CASES) {
  test(`a ${visibility} post is addressed as Mastodon addresses it`, async () => {
    const { w, bob } = await setUp();
    const followers = w.alice.followersUri!;

    const result = await createPost(w.ctx, { actor: w.alice, text: "hi @bob@a.test", visibility });

    assert.ok(result.ok);
    const note = noteOf(await w.activityDocument(result.activityUri));
    assert.deepEqual(note.to, to(followers, bob));
    assert.deepEqual(note.cc, cc(followers, bob));
    assert.equal((await w.ctx.store.objects.get(result.objectUri))?.visibility, visibility);
    // The mentioned account gets the post whatever its visibility.
    assert.deepEqual(await w.deliveriesOf(result.activityUri), ["https://a.test/inbox"]);
  });
}

test("a mention that cannot be resolved stays text and is reported; the post still goes out", async () => {
  const { w, bob } = await setUp();

  const result = await createPost(w.ctx, { actor: w.alice, text: "@nobody@gone.test and @bob@a.test" });

  assert.ok(result.ok);
  assert.deepEqual(result.unresolvedMentions, ["@nobody@gone.test"]);
  const note = noteOf(await w.activityDocument(result.activityUri));
  assert.match(String(note.content), /^<p>@nobody@gone\.test and <span class="h-card">/);
  assert.deepEqual(note.tag, [{ type: "Mention", href: bob, name: "@bob@a.test" }]);
});

test("the same account mentioned in different cases is looked up once and tagged once", async () => {
  const { w, bob } = await setUp();

  const result = await createPost(w.ctx, { actor: w.alice, text: "@bob@a.test and again @BOB@A.TEST" });

  assert.ok(result.ok);
  const note = noteOf(await w.activityDocument(result.activityUri));
  assert.deepEqual(note.tag, [{ type: "Mention", href: bob, name: "@bob@a.test" }]);
  assert.deepEqual(note.cc, [w.alice.followersUri, bob]);
  const webfinger = w.network.requests.filter((request) => request.url.includes("/.well-known/webfinger"));
  assert.equal(webfinger.length, 1);
});

test("a reply names its parent and addresses the parent's author", async () => {
  const { w } = await setUp();
  const carol = w.addRemoteAccount({ username: "carol", host: "c.test" });
  const parent = w.addRemoteNote({
    authorUri: carol,
    id: "https://c.test/users/carol/statuses/1",
    to: [PUBLIC_COLLECTION],
    cc: [`${carol}/followers`],
  });

  const result = await createPost(w.ctx, { actor: w.alice, text: "I agree", inReplyTo: parent });

  assert.ok(result.ok);
  const note = noteOf(await w.activityDocument(result.activityUri));
  assert.equal(note.inReplyTo, parent);
  assert.deepEqual(note.cc, [w.alice.followersUri, carol]);
  // Tagged so that the author is notified, though the text does not mention them.
  assert.deepEqual(note.tag, [{ type: "Mention", href: carol, name: "@carol@c.test" }]);
  assert.equal((await w.ctx.store.objects.get(result.objectUri))?.inReplyTo, parent);
  assert.deepEqual(await w.deliveriesOf(result.activityUri), ["https://c.test/inbox"]);
});

test("a reply to a post that cannot be found is refused", async () => {
  const { w } = await setUp();

  const result = await createPost(w.ctx, { actor: w.alice, text: "hm", inReplyTo: "https://c.test/users/carol/statuses/404" });

  assert.equal(result.ok, false);
  assert.equal(result.ok === false && result.reason, "replyNotFound");
  assert.equal(await w.ctx.store.activities.countByActor(w.alice.uri, { visibilities: ["public", "unlisted", "followers", "direct"] }), 0);
});

test("a content warning becomes the summary and marks the post sensitive; a language adds contentMap", async () => {
  const { w } = await setUp();

  const result = await createPost(w.ctx, { actor: w.alice, text: "spoilers", summary: "film plot", language: "en" });

  assert.ok(result.ok);
  const note = noteOf(await w.activityDocument(result.activityUri));
  assert.equal(note.summary, "film plot");
  assert.equal(note.sensitive, true);
  assert.deepEqual(note.contentMap, { en: "<p>spoilers</p>" });
});

test("mentioning a local account delivers through the local inbox queue", async () => {
  const { w } = await setUp();
  const bob = await w.addLocalActor("bob");

  const result = await createPost(w.ctx, { actor: w.alice, text: "hi @bob@local.test", visibility: "direct" });

  assert.ok(result.ok);
  assert.equal(result.deliveries, 0);
  assert.deepEqual(noteOf(await w.activityDocument(result.activityUri)).to, [bob.uri]);
  const inboxJobs = await w.takeJobs("inbox");
  assert.equal(inboxJobs.length, 1);
  assert.equal(w.network.requests.filter((request) => request.url.includes("local.test")).length, 0);
});

test("empty or oversized text and unknown visibilities are refused before anything is stored", async () => {
  const { w } = await setUp();

  const empty = await createPost(w.ctx, { actor: w.alice, text: "  \n " });
  const long = await createPost(w.ctx, { actor: w.alice, text: "x".repeat(5001) });
  const odd = await createPost(w.ctx, { actor: w.alice, text: "hi", visibility: "secret" as Visibility });

  assert.deepEqual([empty, long, odd].map((r) => (r.ok ? "ok" : r.reason)), ["emptyText", "textTooLong", "invalidVisibility"]);
  assert.deepEqual(await w.ctx.store.jobs.counts(), { pending: 0, done: 0, failed: 0 });
});

test("a deleted actor cannot post", async () => {
  const { w } = await setUp();
  const deleted = { ...w.alice, deletedAt: w.ctx.now().toISOString() };

  const result = await createPost(w.ctx, { actor: deleted, text: "still here?" });

  assert.equal(result.ok === false && result.reason, "actorDeleted");
});
