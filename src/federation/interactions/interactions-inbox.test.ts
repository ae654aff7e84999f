import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { readFixture } from "../inbox/inbox.test-support.ts";
import type { InteractionKind } from "../../store/records.ts";
import { alice, BOB_URI, carol, createInteractionsBed, POST_URI, replyOf, type InteractionsBed } from "./interactions.test-support.ts";
import { ALL_VISIBILITIES, DISPLAYED_VISIBILITIES } from "./storage-policy.ts";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

describe("interactions recorded from the inbox", () => {
  let bed: InteractionsBed;
  afterEach(async () => {
    await bed?.close();
  });

  const listed = async (kinds?: readonly InteractionKind[]) =>
    (
      await bed.ctx.store.interactions.listForTarget(
        POST_URI,
        kinds === undefined ? { visibilities: ALL_VISIBILITIES } : { visibilities: ALL_VISIBILITIES, kinds },
        { limit: 50 },
      )
    ).items;
  const count = (kind: InteractionKind) => bed.ctx.store.interactions.countForTarget(POST_URI, kind, DISPLAYED_VISIBILITIES);

  it("keeps a public reply with its author, content and date, once, and tells the hook once", async () => {
    bed = await createInteractionsBed();
    const reply = replyOf({ n: 1 });
    assert.equal((await bed.deliver(reply)).ok, true);
    await bed.deliver(reply);
    const [stored] = await listed(["reply"]);
    assert.equal(stored?.actorUri, alice.uri);
    assert.equal(stored?.localActorUri, BOB_URI);
    assert.match(stored?.content ?? "", /reply 1/);
    assert.equal(stored?.published, "2024-11-12T10:00:00Z");
    assert.equal(await count("reply"), 1);
    // The reply mentions Bob, whose post it answers: he hears of it once, as a reply.
    assert.equal(await count("mention"), 0);
    assert.deepEqual(bed.events.map((event) => [event.type, event.action, event.stored]), [["reply", "created", true]]);
    assert.equal(bed.events[0]?.actor.handle, "@alice@mastodon.example");
  });

  it("does not store a direct reply but shows it to the hook", async () => {
    bed = await createInteractionsBed();
    await bed.deliver(replyOf({ n: 2, to: [BOB_URI], cc: [] }));
    assert.equal((await listed()).length, 0);
    assert.deepEqual(bed.events.map((event) => [event.type, event.visibility, event.stored]), [["reply", "direct", false]]);
  });

  it("stores private interactions when told to, never counting them as public", async () => {
    bed = await createInteractionsBed({ options: { storePrivateInteractions: true } });
    await bed.deliver(replyOf({ n: 3, to: [alice.followers], cc: [BOB_URI] }));
    assert.equal((await listed(["reply"]))[0]?.visibility, "followers");
    assert.equal(await count("reply"), 0);
  });

  it("records a mention of a local actor that replies to nothing", async () => {
    bed = await createInteractionsBed();
    const create = readFixture("mastodon/create-note-public.json");
    await bed.deliver(create);
    const mentions = await bed.ctx.store.interactions.listForActor(BOB_URI, { visibilities: ALL_VISIBILITIES, kinds: ["mention"] }, { limit: 5 });
    assert.deepEqual(mentions.items.map((item) => [item.uri, item.targetUri]), [[(create.object as { id: string }).id, null]]);
    assert.deepEqual(bed.events.map((event) => event.type), ["mention"]);
  });

  it("applies the author's edit and keeps the reply's place", async () => {
    bed = await createInteractionsBed();
    await bed.deliver(replyOf({ n: 4 }));
    await bed.deliver(replyOf({ n: 5 }));
    const edit = replyOf({ n: 4, content: "<p>edited</p>", extra: { updated: "2024-11-12T11:00:00Z" } });
    await bed.deliver({ ...edit, id: `${String(edit.id)}#updates/1`, type: "Update" });
    const replies = await listed(["reply"]);
    assert.deepEqual(replies.map((reply) => reply.content), ["<p><span class=\"h-card\"><a href=\"https://outpost.example/@bob\" class=\"u-url mention\">@<span>bob</span></a></span> reply 5</p>", "<p>edited</p>"]);
    assert.equal(bed.events.at(-1)?.action, "updated");
  });

  it("withdraws a reply its author deletes, and a late copy of its Create does not bring it back", async () => {
    bed = await createInteractionsBed();
    const reply = replyOf({ n: 6 });
    await bed.deliver(reply);
    const id = (reply.object as { id: string }).id;
    await bed.deliver({ id: `${id}#delete`, type: "Delete", actor: alice.uri, to: [PUBLIC], object: { id, type: "Tombstone" } });
    assert.equal(await count("reply"), 0);
    assert.notEqual((await bed.ctx.store.interactions.get(id, "reply"))?.deletedAt, null);
    assert.equal(bed.events.at(-1)?.action, "deleted");
    await bed.deliver({ ...reply, id: `${String(reply.id)}/again` });
    assert.equal(await count("reply"), 0);
  });

  it("ignores a Delete of someone else's reply", async () => {
    bed = await createInteractionsBed();
    const reply = replyOf({ n: 7 });
    await bed.deliver(reply);
    const id = (reply.object as { id: string }).id;
    await bed.deliver({ id: `${carol.uri}#delete-1`, type: "Delete", actor: carol.uri, to: [PUBLIC], object: id }, carol);
    assert.equal(await count("reply"), 1);
  });

  it("counts likes and boosts and takes undone ones back out", async () => {
    bed = await createInteractionsBed();
    const like = readFixture("mastodon/like.json");
    const boost = readFixture("mastodon/announce.json");
    await bed.deliver(like);
    await bed.deliver({ ...boost, object: POST_URI });
    await bed.deliver({ id: `${carol.uri}#likes/9`, type: "Like", actor: carol.uri, object: POST_URI }, carol);
    assert.equal(await count("like"), 2);
    assert.equal(await count("boost"), 1);
    await bed.deliver({ id: `${alice.uri}#likes/445566/undo`, type: "Undo", actor: alice.uri, object: like });
    await bed.deliver({ id: `${String(boost.id)}/undo`, type: "Undo", actor: alice.uri, object: String(boost.id) });
    assert.equal(await count("like"), 1);
    assert.equal(await count("boost"), 0);
    assert.deepEqual(
      bed.events.map((event) => `${event.type}:${event.action}`),
      ["like:created", "boost:created", "like:created", "like:deleted", "boost:deleted"],
    );
  });

  it("keeps a quote of a local post from an author nobody here follows", async () => {
    bed = await createInteractionsBed();
    await bed.deliver(readFixture("mastodon/create-note-quote.json"));
    assert.equal(await count("quote"), 1);
    assert.notEqual(await bed.ctx.store.objects.get("https://mastodon.example/users/alice/statuses/113456789012349999"), null);
    assert.equal(await count("mention"), 0);
  });

  it("keeps only local targets by default, and remote ones of followed accounts when told", async () => {
    const remoteReply = () => replyOf({ n: 8, inReplyTo: "https://elsewhere.example/notes/1" });
    bed = await createInteractionsBed();
    await bed.ctx.store.follows.put({ followerUri: BOB_URI, followeeUri: alice.uri, activityUri: `${BOB_URI}#follows/1`, state: "accepted", createdAt: new Date().toISOString() });
    await bed.deliver(remoteReply());
    assert.equal((await bed.ctx.store.interactions.listForActor(BOB_URI, { visibilities: ALL_VISIBILITIES, kinds: ["reply"] }, { limit: 5 })).items.length, 0);
    await bed.close();

    bed = await createInteractionsBed({ options: { onlyLocalTargets: false } });
    await bed.ctx.store.follows.put({ followerUri: BOB_URI, followeeUri: alice.uri, activityUri: `${BOB_URI}#follows/1`, state: "accepted", createdAt: new Date().toISOString() });
    await bed.deliver(remoteReply());
    const kept = await bed.ctx.store.interactions.listForActor(BOB_URI, { visibilities: ALL_VISIBILITIES, kinds: ["reply"] }, { limit: 5 });
    assert.deepEqual(kept.items.map((item) => item.targetUri), ["https://elsewhere.example/notes/1"]);
  });

  it("forgets every interaction of an actor that deletes itself", async () => {
    bed = await createInteractionsBed();
    await bed.deliver(replyOf({ n: 9 }));
    await bed.deliver(readFixture("mastodon/like.json"));
    await bed.deliver({ id: `${alice.uri}#delete`, type: "Delete", actor: alice.uri, to: [PUBLIC], object: alice.uri });
    assert.equal((await listed()).length, 0);
  });

  it("tells the hook of a new follower, and a hook that throws does not fail the follow", async () => {
    let calls = 0;
    bed = await createInteractionsBed({
      onInteraction: () => {
        calls += 1;
        if (calls === 1) throw new Error("mail server down");
      },
    });
    await bed.deliver(readFixture("mastodon/follow.json"));
    assert.equal((await bed.ctx.store.follows.get(alice.uri, BOB_URI))?.state, "accepted");
    assert.equal(calls, 1);
    bed.advance(10 * 60_000);
    await bed.runJobs();
    // The retry, from the webhook queue, once.
    assert.equal(calls, 2);
    await bed.runJobs();
    assert.equal(calls, 2);
  });
});
