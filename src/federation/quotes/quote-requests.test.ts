import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { deliveriesTo, readFixture } from "../inbox/inbox.test-support.ts";
import { alice, BOB_URI, carol, createInteractionsBed, POST_URI, type InteractionsBed } from "../interactions/interactions.test-support.ts";
import { DISPLAYED_VISIBILITIES } from "../interactions/storage-policy.ts";
import type { InteractionOptions } from "../interactions/options.ts";
import { findQuoteAuthorizationDocument } from "./quote-authorization-document.ts";
import { approveQuote, listQuoteRequests, rejectQuote, revokeQuote } from "./quote-decisions.ts";

const QUOTE_URI = "https://mastodon.example/users/alice/statuses/113456789012349999";

describe("quote requests (FEP-044f)", () => {
  let bed: InteractionsBed;
  afterEach(async () => {
    await bed?.close();
  });

  const setUp = async (options: InteractionOptions = {}) => {
    bed = await createInteractionsBed({ options });
  };
  const request = (id = "1"): Record<string, unknown> => ({ ...readFixture("mastodon/quote-request.json"), id: `${alice.uri}/quote_requests/${id}` });
  const answers = () => deliveriesTo(bed.inbox.network, alice.sharedInbox).filter((body) => body.type === "Accept" || body.type === "Reject");
  const quoteCount = () => bed.ctx.store.interactions.countForTarget(POST_URI, "quote", DISPLAYED_VISIBILITIES);
  const authorization = () => bed.ctx.store.interactions.findQuoteAuthorization({ quoteUri: QUOTE_URI, targetUri: POST_URI });
  const stampAt = async (uri: string) => {
    const [, username, id] = /\/users\/([^/]+)\/quote-authorizations\/([^/]+)$/.exec(uri) ?? [];
    return findQuoteAuthorizationDocument(bed.ctx, { username: username ?? "", id: id ?? "" });
  };

  it("accepts a public quote of a public post with a dereferenceable QuoteAuthorization", async () => {
    await setUp();
    assert.equal((await bed.deliver(request())).ok, true);
    const [accept] = answers();
    assert.equal(accept?.type, "Accept");
    assert.equal(accept?.actor, BOB_URI);
    assert.deepEqual(accept?.to, [alice.uri]);
    const embedded = accept?.object as Record<string, unknown>;
    assert.deepEqual([embedded.type, embedded.id, embedded.object, embedded.instrument], ["QuoteRequest", request().id, POST_URI, QUOTE_URI]);
    const stampUri = accept?.result as string;
    assert.match(stampUri, /^https:\/\/outpost\.example\/users\/bob\/quote-authorizations\/[0-9A-Z]{26}$/);

    const stamp = await stampAt(stampUri);
    assert.equal(stamp.kind, "found");
    if (stamp.kind === "found") {
      assert.equal(stamp.document.type, "QuoteAuthorization");
      assert.equal(stamp.document.attributedTo, BOB_URI);
      assert.equal(stamp.document.interactingObject, QUOTE_URI);
      assert.equal(stamp.document.interactionTarget, POST_URI);
      assert.ok(JSON.stringify(stamp.document["@context"]).includes("https://w3id.org/fep/044f#QuoteAuthorization"));
    }
    assert.equal(await quoteCount(), 1);
    assert.deepEqual(bed.events.map((event) => `${event.type}:${event.action}`), ["quote:created"]);
  });

  it("answers a repeated request with the same authorization, and counts the quote once when its Create follows", async () => {
    await setUp();
    await bed.deliver(request("1"));
    await bed.deliver(request("2"));
    await bed.deliver(readFixture("mastodon/create-note-quote.json"));
    const [first, second] = answers();
    assert.equal(second?.type, "Accept");
    assert.equal(second?.result, first?.result);
    assert.equal(await quoteCount(), 1);
  });

  it("rejects a quote of a followers-only post", async () => {
    await setUp();
    const post = await bed.ctx.store.objects.get(POST_URI);
    await bed.ctx.store.objects.put({ ...post!, visibility: "followers" });
    await bed.deliver(request());
    assert.deepEqual(answers().map((answer) => answer.type), ["Reject"]);
    assert.equal((await authorization())?.state, "rejected");
    assert.equal((await stampAt((await authorization())!.uri)).kind, "missing");
    assert.equal(await quoteCount(), 0);
  });

  it("rejects a requester the author blocks", async () => {
    await setUp();
    await bed.ctx.store.blocks.put({ activityUri: `${BOB_URI}#blocks/1`, actorUri: BOB_URI, targetUri: alice.uri, createdAt: new Date().toISOString() });
    await bed.deliver(request());
    assert.deepEqual(answers().map((answer) => answer.type), ["Reject"]);
  });

  it("follows the post's own canQuote policy: followers only", async () => {
    for (const following of [false, true]) {
      await setUp();
      const post = await bed.ctx.store.objects.get(POST_URI);
      const followersOnly = { canQuote: { automaticApproval: [`${BOB_URI}/followers`] } };
      await bed.ctx.store.objects.put({ ...post!, document: { ...post!.document, interactionPolicy: followersOnly } });
      if (following) {
        await bed.ctx.store.follows.put({ followerUri: alice.uri, followeeUri: BOB_URI, activityUri: `${alice.uri}#follows/1`, state: "accepted", createdAt: new Date().toISOString() });
      }
      await bed.deliver(request("1"));
      assert.deepEqual(answers().map((answer) => answer.type), [following ? "Accept" : "Reject"]);
      await bed.close();
    }
  });

  it("holds a request for the owner when configured, who then approves it", async () => {
    await setUp({ quotes: { automaticApproval: "nobody", manualApproval: "public" } });
    await bed.deliver(request());
    assert.equal(answers().length, 0);
    assert.equal(await quoteCount(), 0);
    assert.deepEqual(bed.events.map((event) => [event.type, event.action, event.stored]), [["quote", "requested", false]]);
    const pending = await listQuoteRequests(bed.ctx, { actor: bed.bob });
    assert.equal(pending.items.length, 1);
    const authorizationUri = pending.items[0]!.uri;
    assert.equal((await stampAt(authorizationUri)).kind, "missing");

    const approved = await approveQuote(bed.ctx, { actor: bed.bob, authorizationUri });
    assert.equal(approved.ok, true);
    await bed.runJobs();
    const [accept] = answers();
    assert.equal(accept?.type, "Accept");
    assert.equal(accept?.result, authorizationUri);
    assert.equal((await stampAt(authorizationUri)).kind, "found");
    assert.equal(await quoteCount(), 1);
    assert.equal((await listQuoteRequests(bed.ctx, { actor: bed.bob })).items.length, 0);

    const again = await approveQuote(bed.ctx, { actor: bed.bob, authorizationUri });
    assert.equal(again.ok === false && again.reason, "notPending");
  });

  it("lets the owner reject a held request, and only their own", async () => {
    await setUp({ quotes: { automaticApproval: "nobody", manualApproval: "public" } });
    await bed.deliver(request());
    const [held] = (await listQuoteRequests(bed.ctx, { actor: bed.bob })).items;
    const dave = await bed.inbox.addLocal({ username: "dave" });
    const foreign = await rejectQuote(bed.ctx, { actor: dave, authorizationUri: held!.uri });
    assert.equal(foreign.ok === false && foreign.reason, "notFound");
    assert.equal((await rejectQuote(bed.ctx, { actor: bed.bob, authorizationUri: held!.uri })).ok, true);
    await bed.runJobs();
    assert.deepEqual(answers().map((answer) => answer.type), ["Reject"]);
    assert.equal(await quoteCount(), 0);
  });

  it("revokes an approval: a Delete of the stamp, which is then gone, and the quote stops counting", async () => {
    await setUp();
    await bed.deliver(request());
    const stampUri = answers()[0]!.result as string;
    const revoked = await revokeQuote(bed.ctx, { actor: bed.bob, authorizationUri: stampUri });
    assert.equal(revoked.ok, true);
    await bed.runJobs();
    const deletes = deliveriesTo(bed.inbox.network, alice.sharedInbox).filter((body) => body.type === "Delete");
    assert.deepEqual(deletes.map((body) => body.object), [stampUri]);
    assert.equal((await stampAt(stampUri)).kind, "gone");
    assert.equal(await quoteCount(), 0);

    // An edit of the quote post afterwards does not bring the quote back.
    const create = readFixture("mastodon/create-note-quote.json");
    const edited = { ...(create.object as Record<string, unknown>), content: "<p>edited</p>", updated: "2024-11-13T10:00:00Z" };
    await bed.deliver({ ...create, id: `${QUOTE_URI}#updates/1`, type: "Update", object: edited });
    assert.equal(await quoteCount(), 0);
    // Asked again, the answer is now a Reject.
    await bed.deliver(request("again"));
    assert.equal(answers().at(-1)?.type, "Reject");
    assert.equal((await revokeQuote(bed.ctx, { actor: bed.bob, authorizationUri: stampUri })).ok, false);
  });

  it("ignores a request whose quote post is someone else's or quotes something else", async () => {
    await setUp();
    const foreign = request("foreign");
    await bed.deliver({ ...foreign, actor: carol.uri, id: `${carol.uri}/quote_requests/1` }, carol);
    const other = request("other");
    const instrument = { ...(other.instrument as Record<string, unknown>), quote: "https://outpost.example/users/bob/objects/01JCJ3T6K8Q8Y7M5N4P3R2S1T9" };
    await bed.deliver({ ...other, instrument });
    assert.equal(answers().length, 0);
    assert.equal(await authorization(), null);
  });

  it("does not show a quote that never asked when the policy would not approve it at once", async () => {
    await setUp({ quotes: { automaticApproval: "followers" } });
    await bed.deliver(readFixture("mastodon/create-note-quote.json"));
    assert.equal(await quoteCount(), 0);
    assert.deepEqual(bed.events.map((event) => [event.type, event.stored]), [["quote", false]]);
    assert.equal(answers().length, 0);
  });
});
