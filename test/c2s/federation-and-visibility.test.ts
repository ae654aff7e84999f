/**
 * Two real Outposts on loopback, driven only by C2S clients over HTTP (each
 * user signs in with OAuth and PKCE): a follow across servers, a post that
 * travels back, likes, boosts, pins, a block that is never sent, and posts
 * of each visibility checked from every side — the other server, an
 * anonymous reader, a follower's signed fetch and the owner's token.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startOutpostInstance, type OutpostInstance } from "../support/outpost-instance.ts";
import { createActorViaApi, createUserOn, itemIds, objectIdsOfActivities, PUBLIC, publish, readJson, totalItems } from "./api-client.ts";
import { signIn } from "./oauth-client.ts";
import { startRedirectReceiver, type RedirectReceiver } from "./redirect-receiver.ts";

const PASSWORD = "a long and correct password";
const SCOPE = "read write follow";

/** The API's view of an actor (id, inbox, outbox, followers, featured, …). */
type ActorView = Record<string, any>;

describe("C2S clients of two Outposts federating over HTTP", () => {
  let a: OutpostInstance;
  let b: OutpostInstance;
  let receiver: RedirectReceiver;
  /** The token of the user on A, and of the user on B. */
  let tokenA: string;
  let tokenB: string;
  let reader: ActorView;
  let author: ActorView;
  let friend: ActorView;
  let pest: ActorView;
  /** A public post of `author`, on B. */
  let authorPost: string;
  let likeId: string;

  before(async () => {
    a = await startOutpostInstance({ name: "c2s-fed-a" });
    b = await startOutpostInstance({ name: "c2s-fed-b" });
    receiver = await startRedirectReceiver();
    await createUserOn({ instance: a, username: "reading_user", password: PASSWORD });
    await createUserOn({ instance: b, username: "writing_user", password: PASSWORD });
    tokenA = (await signIn({ origin: a.origin, receiver, username: "reading_user", password: PASSWORD, scope: SCOPE })).access_token;
    tokenB = (await signIn({ origin: b.origin, receiver, username: "writing_user", password: PASSWORD, scope: SCOPE })).access_token;
    const actor = async (instance: OutpostInstance, token: string, username: string): Promise<ActorView> => {
      const created = await createActorViaApi({ origin: instance.origin, token, username });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return created.body;
    };
    reader = await actor(a, tokenA, "reader");
    author = await actor(b, tokenB, "author");
    friend = await actor(b, tokenB, "friend");
    pest = await actor(b, tokenB, "pest");
  });
  after(async () => {
    await receiver?.close();
    await a?.close();
    await b?.close();
  });

  const asReader = (body: Record<string, unknown>) => publish({ outbox: reader.outbox, token: tokenA, body });
  const asB = (actor: ActorView, body: Record<string, unknown>) => publish({ outbox: actor.outbox, token: tokenB, body });
  /** Object ids of an inbox read with its owner's token (or anonymously). */
  const inboxOf = (actor: ActorView, token: string | undefined) => objectIdsOfActivities({ url: actor.inbox, ...(token === undefined ? {} : { token }) });

  /** Waits until an instance has answered a POST carrying `id` and has no work left. */
  async function settled(instance: OutpostInstance, id: string): Promise<void> {
    await instance.waitFor(() => instance.requests.some((request) => request.method === "POST" && request.body?.includes(id) === true), {
      message: `${id} to reach ${instance.name}`,
    });
    await instance.waitFor(async () => (await instance.store.jobs.counts()).pending === 0, { message: `${instance.name}'s queue to drain` });
  }

  it("follows an actor of the other server by posting a Follow, and sees the Accept in `following`", async () => {
    const follow = await asReader({ type: "Follow", object: author.id });
    assert.equal(follow.type, "Follow");
    await a.waitFor(async () => (await itemIds({ url: reader.following })).includes(author.id), { message: "the Accept to reach A" });
    assert.deepEqual(await itemIds({ url: author.followers }), [reader.id]);
  });

  it("receives the other actor's post in its inbox, listed for its owner's token", async () => {
    const created = await asB(author, { type: "Note", content: "<p>Hello, followers and world</p>", to: [PUBLIC], cc: [author.followers] });
    authorPost = created.object.id;
    await a.waitFor(async () => (await inboxOf(reader, tokenA)).includes(authorPost), { message: "the post to reach the reader's inbox" });
  });

  it("likes and announces that post through the outbox; B's collections of the post count them", async () => {
    likeId = (await asReader({ type: "Like", object: authorPost })).id;
    await asReader({ type: "Announce", object: authorPost, to: [PUBLIC], cc: [reader.followers] });
    await b.waitFor(async () => (await totalItems({ url: `${authorPost}/likes` })) === 1, { message: "the Like to be counted on B" });
    await b.waitFor(async () => (await totalItems({ url: `${authorPost}/shares` })) === 1, { message: "the Announce to be counted on B" });
    assert.deepEqual(await itemIds({ url: reader.liked }), [authorPost]);
  });

  it("pins its own post with an Add to featured", async () => {
    const own = await asReader({ type: "Note", content: "<p>Pinned</p>", to: [PUBLIC] });
    const added = await asReader({ type: "Add", object: own.object.id, target: reader.featured });
    assert.equal(added.type, "Add");
    assert.deepEqual(await itemIds({ url: reader.featured }), [own.object.id]);
  });

  it("records a Block without delivering it, and drops what the blocked actor sends", async () => {
    const block = await asReader({ type: "Block", object: pest.id });
    assert.ok((await itemIds({ url: reader.outbox, token: tokenA })).includes(block.id), "the Block is in the owner's view of the outbox");
    assert.ok(!(await itemIds({ url: reader.outbox })).includes(block.id), "but not in the public outbox");

    // The blocked actor writes to the reader, and so does a stranger who is not blocked: only the stranger gets through.
    const intrusion = await asB(pest, { type: "Note", content: "<p>Hey, listen!</p>", to: [reader.id] });
    const greeting = await asB(friend, { type: "Note", content: "<p>Hello, stranger</p>", to: [reader.id] });
    await settled(a, intrusion.id);
    await settled(a, greeting.id);
    const inbox = await inboxOf(reader, tokenA);
    assert.ok(inbox.includes(greeting.object.id), "a stranger's direct post arrives");
    assert.ok(!inbox.includes(intrusion.object.id), "the blocked actor's post is dropped");
    // A's queue is empty by now (settled), so a Block on its way to B would have been sent already.
    const received = b.requests.filter((request) => request.method === "POST" && request.body?.includes(block.id) === true);
    assert.deepEqual(received, [], "B never hears of the Block");
    assert.ok(!(await itemIds({ url: pest.inbox, token: tokenB })).includes(block.id), "nor does the blocked actor's inbox list it");
  });

  it("undoes the like: B's count goes back", async () => {
    await asReader({ type: "Undo", object: likeId });
    await b.waitFor(async () => (await totalItems({ url: `${authorPost}/likes` })) === 0, { message: "the Undo to reach B" });
    assert.equal(await totalItems({ url: `${authorPost}/shares` }), 1);
    assert.deepEqual(await itemIds({ url: reader.liked }), []);
  });

  it("delivers followers-only and direct posts only where they are addressed, and serves each only to who may see it", async () => {
    await asB(author, { type: "Follow", object: reader.id });
    await b.waitFor(async () => (await itemIds({ url: author.following })).includes(reader.id), { message: "the author to follow the reader" });

    const open = (await asReader({ type: "Note", content: "<p>For everyone</p>", to: [PUBLIC], cc: [reader.followers] })).object.id as string;
    const followersOnly = (await asReader({ type: "Note", content: "<p>For my followers</p>", to: [reader.followers] })).object.id as string;
    const direct = (await asReader({ type: "Note", content: "<p>Just for you</p>", to: [friend.id] })).object.id as string;

    // What B received: the follower gets the followers-only post, the addressee the direct one, and no one else either.
    await b.waitFor(async () => (await inboxOf(author, tokenB)).includes(followersOnly), { message: "the followers-only post at the follower" });
    await b.waitFor(async () => (await inboxOf(friend, tokenB)).includes(direct), { message: "the direct post at its addressee" });
    await settled(b, direct);
    const authorInbox = await inboxOf(author, tokenB);
    assert.ok(authorInbox.includes(open));
    assert.ok(!authorInbox.includes(direct), "the direct post is not in the follower's inbox");
    assert.ok(!(await inboxOf(friend, tokenB)).includes(followersOnly), "the followers-only post is not in a non-follower's inbox");
    const deliveredDirect = b.requests.filter((request) => request.method === "POST" && request.body?.includes(direct) === true);
    assert.ok(deliveredDirect.length > 0 && deliveredDirect.every((request) => request.status === 202 || request.status === 200));
    assert.ok(deliveredDirect.every((request) => !request.body!.includes(reader.followers)), "the direct post names no followers");

    // An anonymous reader: public only, 404 for the others.
    const publicOutbox = await objectIdsOfActivities({ url: reader.outbox });
    assert.ok(publicOutbox.includes(open));
    assert.ok(!publicOutbox.includes(followersOnly) && !publicOutbox.includes(direct));
    assert.equal((await readJson({ url: open })).status, 200);
    assert.equal((await readJson({ url: followersOnly })).status, 404);
    assert.equal((await readJson({ url: direct })).status, 404);

    // Signed fetches from B: each actor sees what was addressed to it.
    assert.equal((await b.getAs("author", followersOnly)).status, 200);
    assert.equal((await b.getAs("friend", followersOnly)).status, 404);
    assert.equal((await b.getAs("friend", direct)).status, 200);
    assert.equal((await b.getAs("author", direct)).status, 404);

    // The owner's token reads the whole outbox.
    const ownOutbox = await objectIdsOfActivities({ url: reader.outbox, token: tokenA });
    for (const id of [open, followersOnly, direct]) assert.ok(ownOutbox.includes(id), id);
  });

  it("lists every activity addressed to the actor for its owner, and only the public ones to anyone", async () => {
    const shared = (await asB(author, { type: "Note", content: "<p>Followers only</p>", to: [author.followers] })).object.id as string;
    const whisper = (await asB(author, { type: "Note", content: "<p>Only you</p>", to: [reader.id] })).object.id as string;
    await a.waitFor(async () => {
      const inbox = await inboxOf(reader, tokenA);
      return inbox.includes(shared) && inbox.includes(whisper);
    }, { message: "both posts in the reader's inbox" });
    const anonymous = await inboxOf(reader, undefined);
    assert.ok(anonymous.includes(authorPost), "the public post is listed to anyone");
    assert.ok(!anonymous.includes(shared) && !anonymous.includes(whisper), "the others are not");

    const strangerToken = await readJson({ url: reader.inbox, token: tokenB });
    assert.equal(strangerToken.status, 401, "a token of another server is no token here");
  });
});
