import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createLibraryWorld, SITE, type LibraryWorld, type RemoteAccount } from "./library.test-support.ts";

describe("outpost.quotes", () => {
  let world: LibraryWorld;
  let bob: RemoteAccount;
  const post = `${SITE}/posts/quotable`;
  const quote = "https://mastodon.example/users/bob/statuses/1";

  before(async () => {
    world = await createLibraryWorld({
      actor: { username: "blog" },
      // Every quote waits for the owner.
      interactions: { quotes: { automaticApproval: "nobody", manualApproval: "public" } },
    });
    bob = world.addRemoteAccount("bob");
    // The quoting post must quote our post: the request is checked against it.
    world.network.serveJson(
      quote,
      { ...world.addRemoteNote({ author: bob, id: quote }), quote: post },
      { contentType: "application/activity+json" },
    );
    const published = await world.outpost.publishObject({ id: post, type: "Note", content: "<p>Quote me</p>" });
    assert.ok(published.ok, published.ok ? "" : published.message);
  });
  after(() => world.close());

  const requestQuote = async (n: number) => {
    const response = await world.deliver({
      from: bob,
      activity: {
        "@context": ["https://www.w3.org/ns/activitystreams", { QuoteRequest: "https://w3id.org/fep/044f#QuoteRequest" }],
        id: `${bob.uri}/quote_requests/${n}`,
        type: "QuoteRequest",
        actor: bob.uri,
        object: post,
        instrument: quote,
      },
    });
    assert.equal(response.status, 202);
    await world.outpost.runJobsUntilIdle();
  };
  const answers = () => bob.deliveries().filter((body) => body.type === "Accept" || body.type === "Reject");

  it("lists a request waiting for the owner, and sends the Accept once approved", async () => {
    await requestQuote(1);
    assert.deepEqual(answers(), []);
    const pending = await world.outpost.quotes.pending("blog");
    assert.equal(pending.length, 1);
    assert.equal(pending[0]?.quoteUri, quote);

    const approved = await world.outpost.quotes.approve("blog", pending[0]!.uri);
    assert.ok(approved.ok, approved.ok ? "" : approved.message);
    await world.outpost.runJobsUntilIdle();
    const [accept] = answers();
    assert.equal(accept?.type, "Accept");
    assert.equal(accept?.result, pending[0]!.uri);
    assert.deepEqual(await world.outpost.quotes.pending("blog"), []);
  });

  it("refuses to answer for an actor that does not exist", async () => {
    const result = await world.outpost.quotes.reject("nobody-here", `${SITE}/x`);
    assert.equal(result.ok, false);
    assert.equal(result.ok ? "" : result.reason, "unknownActor");
  });
});
