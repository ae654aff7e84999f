/**
 * Two Outposts federating over real HTTP on loopback: discovery, follows
 * (automatic and by hand), posts of every visibility, replies, likes,
 * boosts, edits, deletes, blocks, moves and profile updates — each checked
 * by what the other server stores or serves afterwards.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { resolveHandle } from "../../src/federation/actors/webfinger-client.ts";
import {
  acceptFollower,
  announceObject,
  blockActor,
  createPost,
  deletePost,
  editPost,
  followActor,
  likeObject,
  moveActor,
  rejectFollower,
  updateProfile,
} from "../../src/federation/outbox/actions/index.ts";
import type { ActorRecord, ObjectRecord } from "../../src/store/records.ts";
import { startOutpostInstance, type OutpostInstance } from "../support/outpost-instance.ts";

interface CollectionPage {
  totalItems?: number;
  orderedItems?: unknown[];
}

describe("Outpost to Outpost over HTTP", () => {
  let a: OutpostInstance;
  let b: OutpostInstance;

  before(async () => {
    a = await startOutpostInstance({ name: "a" });
    b = await startOutpostInstance({ name: "b" });
  });
  after(async () => {
    await a?.close();
    await b?.close();
  });

  /** `follower` (on A) follows `followee` (on B) and the Accept comes back. */
  async function followAccepted(follower: ActorRecord, followee: ActorRecord): Promise<void> {
    const followed = await followActor(a.ctx, { actor: follower, target: b.handleOf(followee.username) });
    assert.ok(followed.ok, followed.ok ? "" : followed.message);
    await a.waitFor(async () => (await a.store.follows.get(follower.uri, followee.uri))?.state === "accepted", {
      message: `${follower.username} to follow ${followee.username}`,
    });
  }

  /** A post made on B as A stores it, once it has arrived. */
  function arrivedAtA(uri: string): Promise<ObjectRecord> {
    return a.waitFor(() => a.store.objects.get(uri), { message: `${uri} to arrive at A` });
  }

  async function getJson(from: OutpostInstance, as: string | null, url: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await from.getAs(as, url);
    const text = await response.text();
    return { status: response.status, body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
  }

  async function page(url: string): Promise<CollectionPage> {
    const { status, body } = await getJson(a, null, `${url}?page=true`);
    assert.equal(status, 200, `GET ${url}?page=true`);
    return body as CollectionPage;
  }

  async function total(url: string): Promise<number> {
    const { status, body } = await getJson(a, null, url);
    assert.equal(status, 200, `GET ${url}`);
    return (body as CollectionPage).totalItems ?? -1;
  }

  /** Resolves once B has answered the delivery of an activity and has no inbox work left. */
  async function bSettled(activityUri: string): Promise<void> {
    await b.waitFor(() => b.requests.some((request) => request.method === "POST" && request.body?.includes(activityUri) === true), {
      message: `${activityUri} to reach B`,
    });
    await b.waitFor(async () => (await b.store.jobs.counts()).pending === 0, { message: "B's queue to drain" });
  }

  it("discovers B's actor from A through WebFinger", async () => {
    const bob = await b.createActor("finder_target", { name: "Findable" });
    const found = await resolveHandle(a.ctx, b.handleOf("finder_target"));
    assert.ok(found.ok, found.ok ? "" : found.message);
    assert.equal(found.actor.uri, bob.uri);
    assert.equal(found.actor.name, "Findable");
    assert.equal(found.actor.inbox, bob.inbox);
    // The answer is cached, so a second lookup needs no WebFinger request.
    const webfingerRequests = () => b.requests.filter((request) => request.path.startsWith("/.well-known/webfinger")).length;
    const before = webfingerRequests();
    assert.ok((await resolveHandle(a.ctx, b.handleOf("finder_target"))).ok);
    assert.equal(webfingerRequests(), before);
  });

  it("follows an account that approves followers automatically", async () => {
    const alice = await a.createActor("auto_alice");
    const bob = await b.createActor("auto_bob");
    await followAccepted(alice, bob);

    await b.waitFor(async () => (await b.store.follows.get(alice.uri, bob.uri))?.state === "accepted");
    const followers = await page(bob.followersUri!);
    assert.deepEqual(followers.orderedItems, [alice.uri]);
    const following = await page(alice.followingUri!);
    assert.deepEqual(following.orderedItems, [bob.uri]);
  });

  it("keeps a follow pending until the account accepts it by hand", async () => {
    const alice = await a.createActor("manual_alice");
    const carol = await b.createActor("manual_carol", { manuallyApprovesFollowers: true });
    const followed = await followActor(a.ctx, { actor: alice, target: carol.uri });
    assert.ok(followed.ok);
    await b.waitFor(async () => (await b.store.follows.get(alice.uri, carol.uri))?.state === "pending", {
      message: "the request to reach B",
    });
    assert.equal((await a.store.follows.get(alice.uri, carol.uri))?.state, "pending");
    assert.equal((await page(carol.followersUri!)).orderedItems?.length ?? 0, 0);

    const accepted = await acceptFollower(b.ctx, { actor: carol, follower: alice.uri });
    assert.ok(accepted.ok);
    await a.waitFor(async () => (await a.store.follows.get(alice.uri, carol.uri))?.state === "accepted", {
      message: "the Accept to reach A",
    });
    assert.deepEqual((await page(carol.followersUri!)).orderedItems, [alice.uri]);
  });

  it("ends a follow request the account rejects", async () => {
    const dave = await a.createActor("manual_dave");
    const carol = await b.createActor("reject_carol", { manuallyApprovesFollowers: true });
    assert.ok((await followActor(a.ctx, { actor: dave, target: carol.uri })).ok);
    await b.waitFor(() => b.store.follows.get(dave.uri, carol.uri), { message: "the request to reach B" });

    const rejected = await rejectFollower(b.ctx, { actor: carol, follower: dave.uri });
    assert.ok(rejected.ok);
    await a.waitFor(async () => (await a.store.follows.get(dave.uri, carol.uri)) === null, { message: "the Reject to reach A" });
    assert.equal(await b.store.follows.get(dave.uri, carol.uri), null);
  });

  it("delivers posts of every visibility as addressed", async () => {
    const alice = await a.createActor("vis_alice");
    const bob = await b.createActor("vis_bob");
    const carol = await b.createActor("vis_carol");
    await followAccepted(alice, bob);

    const post = async (text: string, visibility: "public" | "unlisted" | "followers" | "direct") => {
      const created = await createPost(b.ctx, { actor: bob, text, visibility });
      assert.ok(created.ok, created.ok ? "" : created.message);
      assert.deepEqual(created.unresolvedMentions, []);
      return created;
    };
    const hidden = await post(`@${b.handleOf(carol.username)} only for you`, "direct");
    assert.equal(hidden.deliveries, 0, "a direct post to a local account goes nowhere else");
    const published = await post("for everyone", "public");
    const unlisted = await post("quietly public", "unlisted");
    const followersOnly = await post("for my followers", "followers");
    const direct = await post(`@${a.handleOf(alice.username)} just between us`, "direct");

    for (const [created, visibility] of [
      [published, "public"],
      [unlisted, "unlisted"],
      [followersOnly, "followers"],
      [direct, "direct"],
    ] as const) {
      const stored = await arrivedAtA(created.objectUri);
      assert.equal(stored.visibility, visibility, `${visibility} post stored as ${stored.visibility}`);
      assert.equal(stored.attributedTo, bob.uri);
      assert.equal(stored.local, false);
    }
    const directCopy = await a.store.objects.get(direct.objectUri);
    assert.match(String(directCopy?.document.content), /just between us/);
    assert.equal(await a.store.objects.get(hidden.objectUri), null, "A is not told of a direct post that does not mention it");

    // Followers-only: nothing for strangers, everything for a follower's signed fetch.
    assert.equal((await getJson(a, null, followersOnly.objectUri)).status, 404);
    const stranger = await a.createActor("vis_stranger");
    assert.equal((await getJson(a, stranger.username, followersOnly.objectUri)).status, 404);
    const asFollower = await getJson(a, alice.username, followersOnly.objectUri);
    assert.equal(asFollower.status, 200);
    assert.equal(asFollower.body.id, followersOnly.objectUri);
    assert.equal((await getJson(a, null, published.objectUri)).status, 200);
  });

  it("takes a reply, a like and a boost from A into B's collections", async () => {
    const alice = await a.createActor("react_alice");
    const bob = await b.createActor("react_bob");
    await followAccepted(alice, bob);
    const original = await createPost(b.ctx, { actor: bob, text: "what do you think?" });
    assert.ok(original.ok);
    await arrivedAtA(original.objectUri);

    const reply = await createPost(a.ctx, { actor: alice, text: "I think so", inReplyTo: original.objectUri });
    assert.ok(reply.ok, reply.ok ? "" : reply.message);
    const storedReply = await b.waitFor(() => b.store.objects.get(reply.objectUri), { message: "the reply to reach B" });
    assert.equal(storedReply.inReplyTo, original.objectUri);
    assert.deepEqual((await page(`${original.objectUri}/replies`)).orderedItems?.map(idOf), [reply.objectUri]);

    assert.ok((await likeObject(a.ctx, { actor: alice, objectUri: original.objectUri })).ok);
    assert.ok((await announceObject(a.ctx, { actor: alice, objectUri: original.objectUri })).ok);
    await b.waitFor(async () => (await b.store.reactions.count(original.objectUri, "Like")) === 1, { message: "the Like" });
    await b.waitFor(async () => (await b.store.reactions.count(original.objectUri, "Announce")) === 1, { message: "the Announce" });
    assert.equal(await total(`${original.objectUri}/likes`), 1);
    assert.equal(await total(`${original.objectUri}/shares`), 1);
  });

  it("updates A's copy when B edits a post, and tombstones it when B deletes it", async () => {
    const alice = await a.createActor("edit_alice");
    const bob = await b.createActor("edit_bob");
    await followAccepted(alice, bob);
    const created = await createPost(b.ctx, { actor: bob, text: "frist" });
    assert.ok(created.ok);
    const first = await arrivedAtA(created.objectUri);

    const edited = await editPost(b.ctx, { actor: bob, objectUri: created.objectUri, text: "first, typo fixed" });
    assert.ok(edited.ok, edited.ok ? "" : edited.message);
    const second = await a.waitFor(
      async () => {
        const copy = await a.store.objects.get(created.objectUri);
        return copy !== null && /typo fixed/.test(String(copy.document.content)) ? copy : null;
      },
      { message: "the edit to reach A" },
    );
    assert.notEqual(second.updated, null);
    assert.ok(Date.parse(second.updated!) > Date.parse(first.updated ?? first.published!), "updated moves forward");

    const deleted = await deletePost(b.ctx, { actor: bob, objectUri: created.objectUri });
    assert.ok(deleted.ok);
    const gone = await a.waitFor(
      async () => {
        const copy = await a.store.objects.get(created.objectUri);
        return copy?.deletedAt !== null && copy !== null ? copy : null;
      },
      { message: "the delete to reach A" },
    );
    assert.equal(gone.document.type, "Tombstone");
    assert.equal((await getJson(a, null, created.objectUri)).status, 410);
  });

  it("ends A's follow when B blocks A, and ignores what A sends afterwards", async () => {
    const alice = await a.createActor("block_alice");
    const bob = await b.createActor("block_bob");
    await followAccepted(alice, bob);
    const post = await createPost(b.ctx, { actor: bob, text: "before the block" });
    assert.ok(post.ok);
    await arrivedAtA(post.objectUri);

    assert.ok((await blockActor(b.ctx, { actor: bob, target: alice.uri })).ok);
    await a.waitFor(async () => (await a.store.follows.get(alice.uri, bob.uri)) === null, { message: "the follow to end at A" });
    assert.equal(await b.store.follows.get(alice.uri, bob.uri), null);

    const like = await likeObject(a.ctx, { actor: alice, objectUri: post.objectUri });
    assert.ok(like.ok);
    await bSettled(like.activityUri);
    assert.equal(await b.store.reactions.count(post.objectUri, "Like"), 0);

    // A new follow request does not make A a follower again: B answers it with a Reject.
    const follow = await followActor(a.ctx, { actor: alice, target: bob.uri });
    assert.ok(follow.ok);
    assert.equal((await a.store.follows.get(alice.uri, bob.uri))?.state, "pending");
    await a.waitFor(async () => (await a.store.follows.get(alice.uri, bob.uri)) === null, {
      message: "B's Reject to end A's follow request",
    });
    assert.equal(await b.store.follows.get(alice.uri, bob.uri), null);
    assert.equal((await page(bob.followersUri!)).orderedItems?.length ?? 0, 0);
  });

  it("moves A's follow to B's new account", async () => {
    const alice = await a.createActor("move_alice");
    const oldBob = await b.createActor("move_old");
    const newBob = await b.createActor("move_new");
    await followAccepted(alice, oldBob);

    const aliased = await updateProfile(b.ctx, { actor: newBob, changes: { alsoKnownAs: [oldBob.uri] } });
    assert.ok(aliased.ok);
    const moved = await moveActor(b.ctx, { actor: await b.actor("move_old"), target: newBob.uri });
    assert.ok(moved.ok, moved.ok ? "" : moved.message);

    await a.waitFor(async () => (await a.store.follows.get(alice.uri, newBob.uri))?.state === "accepted", {
      message: "A to follow the new account",
    });
    assert.equal(await a.store.follows.get(alice.uri, oldBob.uri), null);
    assert.equal((await b.store.follows.get(alice.uri, newBob.uri))?.state, "accepted");
    assert.equal((await a.store.actors.get(oldBob.uri))?.movedTo, newBob.uri);
  });

  it("shows B's new profile name in A's copy of the actor", async () => {
    const alice = await a.createActor("profile_alice");
    const bob = await b.createActor("profile_bob", { name: "Bob" });
    await followAccepted(alice, bob);
    assert.equal((await a.store.actors.get(bob.uri))?.name, "Bob");

    assert.ok((await updateProfile(b.ctx, { actor: bob, changes: { name: "Robert" } })).ok);
    await a.waitFor(async () => (await a.store.actors.get(bob.uri))?.name === "Robert", { message: "the new name at A" });
  });
});

function idOf(item: unknown): unknown {
  return typeof item === "object" && item !== null && "id" in item ? (item as { id: unknown }).id : item;
}
