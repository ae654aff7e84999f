/**
 * Outpost against a real Fedify server, both directions, over real HTTP on
 * loopback. Fedify verifies Outpost's draft-cavage signatures with its own
 * code; Outpost verifies what Fedify signs — once with a Fedify that knocks
 * first with RFC 9421 and once with one that knocks with draft-cavage, so
 * both schemes Fedify sends in production are covered.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { HttpMessageSignaturesSpec } from "@fedify/fedify";
import { generateRsaKeyPair } from "../../src/crypto/keys.ts";
import { signRequest } from "../../src/crypto/verify-request.ts";
import {
  announceObject,
  blockActor,
  createPost,
  deletePost,
  editPost,
  followActor,
  likeObject,
  moveActor,
  unannounceObject,
  unfollowActor,
  unlikeObject,
  updateProfile,
} from "../../src/federation/outbox/actions/index.ts";
import type { ActorRecord, ObjectRecord } from "../../src/store/records.ts";
import { startFedifyPeer, type FedifyPeer, type ReceivedActivity } from "../support/fedify-peer.ts";
import { guardGlobalFetch } from "../support/loopback-fetch.ts";
import { startOutpostInstance, type OutpostInstance, type WireSignatureScheme } from "../support/outpost-instance.ts";

const SCHEMES: readonly { readonly firstKnock: HttpMessageSignaturesSpec; readonly wire: WireSignatureScheme }[] = [
  { firstKnock: "rfc9421", wire: "rfc9421" },
  { firstKnock: "draft-cavage-http-signatures-12", wire: "draft-cavage" },
];

let outpost: OutpostInstance;
let restoreFetch: (() => void) | undefined;
const peers: FedifyPeer[] = [];

before(async () => {
  // Fedify loads documents through the global fetch; nothing may leave loopback.
  restoreFetch = guardGlobalFetch();
  outpost = await startOutpostInstance({ name: "interop" });
});
after(async () => {
  for (const peer of peers) await peer.close();
  await outpost?.close();
  restoreFetch?.();
});

async function startPeer(firstKnock: HttpMessageSignaturesSpec, username: string): Promise<FedifyPeer> {
  const peer = await startFedifyPeer({ firstKnock, username });
  peers.push(peer);
  return peer;
}

/** An Outpost actor follows the peer's actor (found by its handle) and Fedify's Accept arrives. */
async function outpostFollows(actor: ActorRecord, peer: FedifyPeer): Promise<void> {
  const followed = await followActor(outpost.ctx, { actor, target: peer.handle });
  assert.ok(followed.ok, followed.ok ? "" : followed.message);
  await outpost.waitFor(async () => (await outpost.store.follows.get(actor.uri, peer.actorUri))?.state === "accepted", {
    message: `${actor.username} to follow ${peer.handle}`,
  });
}

/** What Outpost stores of a remote object, once it has arrived. */
function storedAtOutpost(uri: string, check: (object: ObjectRecord) => boolean = () => true): Promise<ObjectRecord> {
  return outpost.waitFor(
    async () => {
      const object = await outpost.store.objects.get(uri);
      return object !== null && check(object) ? object : null;
    },
    { message: `${uri} at Outpost` },
  );
}

function objectOf(activity: ReceivedActivity): Record<string, unknown> {
  const object = activity.json.object;
  return typeof object === "object" && object !== null ? (object as Record<string, unknown>) : { id: object };
}

function assertVerifiedOnly(peer: FedifyPeer): void {
  assert.deepEqual(peer.unverified, [], "Fedify refused none of Outpost's signatures");
  assert.deepEqual(peer.errors, [], "Fedify's inbox handled everything without errors");
}

for (const { firstKnock, wire } of SCHEMES) {
  describe(`Fedify knocking first with ${firstKnock}`, () => {
    let peer: FedifyPeer;
    before(async () => {
      peer = await startPeer(firstKnock, wire === "rfc9421" ? "knock_rfc" : "knock_cavage");
    });

    it("follows an Outpost actor and verifies Outpost's Accept", async () => {
      const alice = await outpost.createActor(`followed_${wire.replace("-", "_")}`);
      const follow = await peer.follow(alice.uri);
      await outpost.waitFor(async () => (await outpost.store.follows.get(peer.actorUri, alice.uri))?.state === "accepted", {
        message: "Outpost to record the follower",
      });
      const accept = await peer.waitForActivity((activity) => activity.type === "Accept" && activity.actor === alice.uri);
      assert.equal(objectOf(accept).id, follow.id);
      assert.equal(peer.followState(alice.uri), "accepted");
      assertVerifiedOnly(peer);
    });

    it("has its posts stored by Outpost as addressed", async () => {
      const alice = await outpost.createActor(`reader_${wire.replace("-", "_")}`);
      await outpostFollows(alice, peer);

      const expected = [
        ["public", await peer.post({ content: "<p>hello fediverse</p>" })],
        ["unlisted", await peer.post({ content: "<p>quietly</p>", visibility: "unlisted" })],
        ["followers", await peer.post({ content: "<p>friends only</p>", visibility: "followers" })],
        ["direct", await peer.post({ content: "<p>psst</p>", visibility: "direct", mentions: [alice.uri] })],
      ] as const;
      for (const [visibility, sent] of expected) {
        const stored = await storedAtOutpost(sent.objectId);
        assert.equal(stored.visibility, visibility);
        assert.equal(stored.attributedTo, peer.actorUri);
      }
      const direct = await outpost.store.objects.get(expected[3][1].objectId);
      assert.match(String(direct?.document.content), /psst/);
    });

    it("has its reply, like and boost of an Outpost post counted, and their undoing too", async () => {
      const alice = await outpost.createActor(`author_${wire.replace("-", "_")}`);
      const post = await createPost(outpost.ctx, { actor: alice, text: "tell me what you think" });
      assert.ok(post.ok);

      const reply = await peer.post({ content: "<p>I like it</p>", inReplyTo: { uri: post.objectUri, author: alice.uri } });
      const storedReply = await storedAtOutpost(reply.objectId);
      assert.equal(storedReply.inReplyTo, post.objectUri);
      const replies = await (await outpost.getAs(null, `${post.objectUri}/replies?page=true`)).json();
      assert.deepEqual((replies as { orderedItems: unknown[] }).orderedItems.map(idOf), [reply.objectId]);

      const like = await peer.like({ objectUri: post.objectUri, author: alice.uri });
      const announce = await peer.announce({ objectUri: post.objectUri, author: alice.uri });
      const count = (type: "Like" | "Announce") => outpost.store.reactions.count(post.objectUri, type);
      await outpost.waitFor(async () => (await count("Like")) === 1 && (await count("Announce")) === 1, { message: "the Like and the Announce" });
      assert.equal(await collectionTotal(`${post.objectUri}/likes`), 1);
      assert.equal(await collectionTotal(`${post.objectUri}/shares`), 1);

      await peer.undo(like.id);
      await peer.undo(announce.id);
      await outpost.waitFor(async () => (await count("Like")) === 0 && (await count("Announce")) === 0, { message: "both undone" });
    });

    it("has its edits and deletes applied to Outpost's copy", async () => {
      const alice = await outpost.createActor(`editor_${wire.replace("-", "_")}`);
      await outpostFollows(alice, peer);
      const post = await peer.post({ content: "<p>draft</p>" });
      const first = await storedAtOutpost(post.objectId);

      await peer.edit({ noteUri: post.objectId, content: "<p>final</p>" });
      const edited = await storedAtOutpost(post.objectId, (object) => /final/.test(String(object.document.content)));
      assert.ok(edited.updated !== null && Date.parse(edited.updated) >= Date.parse(first.published!));

      await peer.deletePost(post.objectId);
      const deleted = await storedAtOutpost(post.objectId, (object) => object.deletedAt !== null);
      assert.equal(deleted.document.type, "Tombstone");
    });

    it("has its profile update and its unfollow applied", async () => {
      const alice = await outpost.createActor(`profile_${wire.replace("-", "_")}`);
      await outpostFollows(alice, peer);
      await peer.updateName(`Renamed over ${firstKnock}`);
      await outpost.waitFor(async () => (await outpost.store.actors.get(peer.actorUri))?.name === `Renamed over ${firstKnock}`, {
        message: "the new name at Outpost",
      });

      const bob = await outpost.createActor(`unfollowed_${wire.replace("-", "_")}`);
      const follow = await peer.follow(bob.uri);
      await outpost.waitFor(async () => (await outpost.store.follows.get(peer.actorUri, bob.uri))?.state === "accepted");
      await peer.undo(follow.id);
      await outpost.waitFor(async () => (await outpost.store.follows.get(peer.actorUri, bob.uri)) === null, {
        message: "the Undo(Follow) at Outpost",
      });
    });

    it("has its block end the follows between the two", async () => {
      const alice = await outpost.createActor(`blocked_${wire.replace("-", "_")}`);
      await outpostFollows(alice, peer);
      await peer.block(alice.uri);
      await outpost.waitFor(async () => (await outpost.store.follows.get(alice.uri, peer.actorUri)) === null, {
        message: "the Block at Outpost",
      });
      assert.notEqual(await outpost.store.blocks.get(peer.actorUri, alice.uri), null);
    });

    it(`was signed with ${wire} throughout, and Outpost accepted every delivery at once`, () => {
      const fromPeer = outpost.requests.filter((request) => request.method === "POST" && request.body?.includes(peer.actorUri) === true);
      assert.ok(fromPeer.length >= 10, `expected the deliveries above, saw ${fromPeer.length}`);
      for (const request of fromPeer) {
        assert.equal(request.scheme, wire, `${request.path} was signed with ${request.scheme}`);
        assert.equal(request.status, 202, `${request.path} was answered ${request.status}`);
      }
    });
  });
}

describe("Outpost delivering to Fedify", () => {
  let peer: FedifyPeer;
  before(async () => {
    peer = await startPeer("rfc9421", "listener");
  });

  it("follows a Fedify actor, which accepts", async () => {
    const alice = await outpost.createActor("out_follower");
    await outpostFollows(alice, peer);
    assert.deepEqual(peer.followers(), [alice.uri]);
    const follow = await peer.waitForActivity((activity) => activity.type === "Follow" && activity.actor === alice.uri);
    assert.equal(follow.objectId, peer.actorUri);
    assertVerifiedOnly(peer);
  });

  it("delivers posts, edits and deletes that Fedify verifies", async () => {
    const alice = await outpost.createActor("out_author");
    await peer.follow(alice.uri);
    await outpost.waitFor(async () => (await outpost.store.follows.get(peer.actorUri, alice.uri))?.state === "accepted");

    const published = await createPost(outpost.ctx, { actor: alice, text: "hello Fedify" });
    const followersOnly = await createPost(outpost.ctx, { actor: alice, text: "followers only", visibility: "followers" });
    const direct = await createPost(outpost.ctx, { actor: alice, text: `@${peer.handle} a word in private`, visibility: "direct" });
    for (const created of [published, followersOnly, direct]) {
      assert.ok(created.ok, created.ok ? "" : created.message);
      assert.deepEqual(created.unresolvedMentions, [], "the Fedify handle resolves through WebFinger");
      const create = await peer.waitForActivity((activity) => activity.type === "Create" && objectOf(activity).id === created.objectUri);
      assert.equal(create.actor, alice.uri);
    }
    const directCreate = peer.received.find((activity) => activity.type === "Create" && objectOf(activity).id === (direct.ok ? direct.objectUri : ""));
    assert.deepEqual(objectOf(directCreate!).to, [peer.actorUri]);

    assert.ok(published.ok);
    assert.ok((await editPost(outpost.ctx, { actor: alice, objectUri: published.objectUri, text: "hello again, Fedify" })).ok);
    const update = await peer.waitForActivity((activity) => activity.type === "Update" && objectOf(activity).id === published.objectUri);
    assert.match(String(objectOf(update).content), /hello again/);

    assert.ok((await deletePost(outpost.ctx, { actor: alice, objectUri: published.objectUri })).ok);
    await peer.waitForActivity((activity) => activity.type === "Delete" && activity.objectId === published.objectUri);
    assertVerifiedOnly(peer);
  });

  it("likes and boosts a Fedify post, and takes both back", async () => {
    const alice = await outpost.createActor("out_fan");
    await outpostFollows(alice, peer);
    const post = await peer.post({ content: "<p>boost me</p>" });
    await storedAtOutpost(post.objectId);

    const like = await likeObject(outpost.ctx, { actor: alice, objectUri: post.objectId });
    const announce = await announceObject(outpost.ctx, { actor: alice, objectUri: post.objectId });
    assert.ok(like.ok && announce.ok);
    await peer.waitForActivity((activity) => activity.type === "Like" && activity.id === like.activityUri);
    await peer.waitForActivity((activity) => activity.type === "Announce" && activity.id === announce.activityUri);

    assert.ok((await unlikeObject(outpost.ctx, { actor: alice, objectUri: post.objectId })).ok);
    assert.ok((await unannounceObject(outpost.ctx, { actor: alice, objectUri: post.objectId })).ok);
    await peer.waitForActivity((activity) => activity.type === "Undo" && objectOf(activity).id === like.activityUri);
    await peer.waitForActivity((activity) => activity.type === "Undo" && objectOf(activity).id === announce.activityUri);
    assertVerifiedOnly(peer);
  });

  it("unfollows, and Fedify drops the follower", async () => {
    const alice = await outpost.createActor("out_leaver");
    await outpostFollows(alice, peer);
    assert.ok(peer.followers().includes(alice.uri));
    assert.ok((await unfollowActor(outpost.ctx, { actor: alice, target: peer.actorUri })).ok);
    await peer.waitForActivity((activity) => activity.type === "Undo" && activity.actor === alice.uri);
    assert.ok(!peer.followers().includes(alice.uri));
    assert.equal(await outpost.store.follows.get(alice.uri, peer.actorUri), null);
  });

  it("blocks a Fedify actor: Fedify is told its follow is over", async () => {
    const alice = await outpost.createActor("out_blocker");
    const follow = await peer.follow(alice.uri);
    await outpost.waitFor(async () => (await outpost.store.follows.get(peer.actorUri, alice.uri))?.state === "accepted");
    assert.ok((await blockActor(outpost.ctx, { actor: alice, target: peer.actorUri })).ok);
    const reject = await peer.waitForActivity((activity) => activity.type === "Reject" && activity.actor === alice.uri);
    assert.equal(objectOf(reject).id, follow.id);
    assert.equal(peer.followState(alice.uri), undefined);
    assert.ok(!peer.received.some((activity) => activity.type === "Block"), "a Block is never sent");
  });

  it("moves an account, and Fedify receives the Move", async () => {
    const old = await outpost.createActor("out_old");
    const next = await outpost.createActor("out_new");
    await peer.follow(old.uri);
    await outpost.waitFor(async () => (await outpost.store.follows.get(peer.actorUri, old.uri))?.state === "accepted");
    assert.ok((await updateProfile(outpost.ctx, { actor: next, changes: { alsoKnownAs: [old.uri] } })).ok);
    const moved = await moveActor(outpost.ctx, { actor: await outpost.actor("out_old"), target: next.uri });
    assert.ok(moved.ok, moved.ok ? "" : moved.message);
    const move = await peer.waitForActivity((activity) => activity.type === "Move" && activity.actor === old.uri);
    assert.equal(move.json.target, next.uri);
    assertVerifiedOnly(peer);
  });

  // Last, since it leaves a refused delivery on the peer's record.
  it("is checked by a Fedify that refuses a delivery whose signature does not verify", async () => {
    const alice = await outpost.createActor("out_impostor");
    const forger = await generateRsaKeyPair();
    const body = JSON.stringify({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${alice.uri}#forged`,
      type: "Like",
      actor: alice.uri,
      object: `${peer.actorUri}/notes/any`,
    });
    const inbox = `${peer.actorUri}/inbox`;
    const headers = signRequest({
      method: "POST",
      url: inbox,
      headers: new Headers({ "content-type": "application/activity+json" }),
      body: new TextEncoder().encode(body),
      keyId: outpost.ctx.uris.key(alice.username),
      privateKey: forger.privateKeyPem,
    });
    const response = await fetch(inbox, { method: "POST", headers, body });
    assert.equal(response.status, 401);
    assert.equal(peer.unverified.length, 1);
    assert.ok(!peer.received.some((activity) => activity.id === `${alice.uri}#forged`));
  });
});

async function collectionTotal(url: string): Promise<number> {
  const response = await outpost.getAs(null, url);
  assert.equal(response.status, 200, `GET ${url}`);
  return ((await response.json()) as { totalItems: number }).totalItems;
}

function idOf(item: unknown): unknown {
  return typeof item === "object" && item !== null && "id" in item ? (item as { id: unknown }).id : item;
}
