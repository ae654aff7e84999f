import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildWebFinger, parseWebFingerDocument, parseWebFingerResource, type WebFingerResource } from "./webfinger.ts";

describe("buildWebFinger", () => {
  it("links the actor, profile page and remote-follow template", () => {
    assert.deepEqual(
      buildWebFinger({
        subject: "acct:bob@outpost.example",
        aliases: ["https://outpost.example/@bob", "https://outpost.example/users/bob"],
        actorUri: "https://outpost.example/users/bob",
        profileUrl: "https://outpost.example/@bob",
        subscribeTemplate: "https://outpost.example/authorize_interaction?uri={uri}",
      }),
      {
        subject: "acct:bob@outpost.example",
        aliases: ["https://outpost.example/@bob", "https://outpost.example/users/bob"],
        links: [
          { rel: "self", type: "application/activity+json", href: "https://outpost.example/users/bob" },
          { rel: "http://webfinger.net/rel/profile-page", type: "text/html", href: "https://outpost.example/@bob" },
          { rel: "http://ostatus.org/schema/1.0/subscribe", template: "https://outpost.example/authorize_interaction?uri={uri}" },
        ],
      },
    );
  });

  it("reads back through parseWebFingerDocument", () => {
    const doc = buildWebFinger({ subject: "acct:bob@outpost.example", aliases: [], actorUri: "https://outpost.example/users/bob", profileUrl: "https://outpost.example/@bob" });
    assert.deepEqual(parseWebFingerDocument(doc), {
      ok: true,
      value: { subject: "acct:bob@outpost.example", actorUri: "https://outpost.example/users/bob", profileUrl: "https://outpost.example/@bob" },
    });
  });
});

describe("parseWebFingerResource", () => {
  const ok: [string, WebFingerResource][] = [
    ["acct:alice@example.com", { kind: "acct", username: "alice", host: "example.com" }],
    ["acct:Alice@Example.COM", { kind: "acct", username: "Alice", host: "example.com" }],
    ["alice@example.com", { kind: "acct", username: "alice", host: "example.com" }],
    ["@alice@example.com", { kind: "acct", username: "alice", host: "example.com" }],
    ["acct:@alice@example.com", { kind: "acct", username: "alice", host: "example.com" }],
    ["acct:alice%40example.com", { kind: "acct", username: "alice", host: "example.com" }],
    ["  acct:alice@localhost:8080 ", { kind: "acct", username: "alice", host: "localhost:8080" }],
    ["acct:alice", { kind: "acct", username: "alice", host: "outpost.example" }],
    ["acct:ann@bücher.example", { kind: "acct", username: "ann", host: "xn--bcher-kva.example" }],
    ["https://outpost.example/users/alice", { kind: "uri", uri: "https://outpost.example/users/alice" }],
    ["https://outpost.example/@alice", { kind: "uri", uri: "https://outpost.example/@alice" }],
  ];
  for (const [resource, expected] of ok) {
    it(`reads ${JSON.stringify(resource)}`, () => {
      assert.deepEqual(parseWebFingerResource(resource, "outpost.example"), { ok: true, value: expected });
    });
  }

  const bad: [string, string][] = [
    ["", "missingField"],
    ["   ", "missingField"],
    ["acct:", "invalidField"],
    ["acct:@", "invalidField"],
    ["acct:a@b@c", "invalidField"],
    ["acct:al ice@example.com", "invalidField"],
    ["acct:alice@exa mple.com", "invalidField"],
    ["acct:alice@example.com/path", "invalidField"],
    ["acct:alice@", "invalidField"],
    ["acct:%E0%A4%A", "invalidField"],
    ["https://", "invalidField"],
    ["mailto:alice@example.com", "unsupportedType"],
    ["did:plc:1234", "unsupportedType"],
  ];
  for (const [resource, reason] of bad) {
    it(`rejects ${JSON.stringify(resource)} as ${reason}`, () => {
      const result = parseWebFingerResource(resource, "outpost.example");
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.reason, reason);
    });
  }
});

describe("parseWebFingerDocument", () => {
  it("reads a Mastodon response", () => {
    const result = parseWebFingerDocument({
      subject: "acct:alice@mastodon.example",
      aliases: ["https://mastodon.example/@alice", "https://mastodon.example/users/alice"],
      links: [
        { rel: "http://webfinger.net/rel/profile-page", type: "text/html", href: "https://mastodon.example/@alice" },
        { rel: "self", type: "application/activity+json", href: "https://mastodon.example/users/alice" },
        { rel: "http://ostatus.org/schema/1.0/subscribe", template: "https://mastodon.example/authorize_interaction?uri={uri}" },
        { rel: "http://webfinger.net/rel/avatar", type: "image/png", href: "https://files.mastodon.example/a.png" },
      ],
    });
    assert.deepEqual(result, {
      ok: true,
      value: {
        subject: "acct:alice@mastodon.example",
        actorUri: "https://mastodon.example/users/alice",
        profileUrl: "https://mastodon.example/@alice",
      },
    });
  });

  it("accepts the ld+json profile media type and skips malformed links", () => {
    const result = parseWebFingerDocument({
      subject: "acct:x@y.example",
      links: [
        "junk",
        { rel: "self", type: "text/html", href: "https://y.example/x.html" },
        { rel: "self", type: "application/activity+json", href: "javascript:alert(1)" },
        { rel: "self", type: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"', href: "https://y.example/users/x" },
      ],
    });
    assert.ok(result.ok);
    assert.equal(result.value.actorUri, "https://y.example/users/x");
    assert.equal(result.value.profileUrl, undefined);
  });

  const bad: [string, unknown, string, string][] = [
    ["array", [], "notAnObject", "webfinger document is not a JSON object"],
    ["no subject", { links: [] }, "missingField", 'webfinger document has no "subject"'],
    ["numeric subject", { subject: 5 }, "invalidField", 'webfinger "subject" is not a string'],
  ];
  for (const [name, input, reason, message] of bad) {
    it(`rejects ${name}`, () => assert.deepEqual(parseWebFingerDocument(input), { ok: false, reason, message }));
  }
});
