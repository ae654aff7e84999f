import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLocalUris, isValidUsername, mintId, nodeInfoUrl, webFingerTemplate, type ParsedLocalUri } from "./uris.ts";

describe("createLocalUris", () => {
  const uris = createLocalUris({ origin: "https://example.com/" });
  const prefixed = createLocalUris({ origin: "https://example.com", prefix: "/activitypub/" });

  it("mints the documented URIs", () => {
    assert.equal(uris.origin, "https://example.com");
    assert.equal(uris.actor("alice"), "https://example.com/users/alice");
    assert.equal(uris.key("alice"), "https://example.com/users/alice#main-key");
    assert.equal(uris.inbox("alice"), "https://example.com/users/alice/inbox");
    assert.equal(uris.outbox("alice"), "https://example.com/users/alice/outbox");
    assert.equal(uris.followers("alice"), "https://example.com/users/alice/followers");
    assert.equal(uris.following("alice"), "https://example.com/users/alice/following");
    assert.equal(uris.liked("alice"), "https://example.com/users/alice/liked");
    assert.equal(uris.featured("alice"), "https://example.com/users/alice/collections/featured");
    assert.equal(uris.sharedInbox(), "https://example.com/inbox");
    assert.equal(uris.object("alice", "01ABC"), "https://example.com/users/alice/objects/01ABC");
    assert.equal(uris.activity("alice", "01ABC"), "https://example.com/users/alice/activities/01ABC");
    assert.equal(uris.replies("https://x.example/n/1"), "https://x.example/n/1/replies");
    assert.equal(uris.likes("https://x.example/n/1"), "https://x.example/n/1/likes");
    assert.equal(uris.shares("https://x.example/n/1"), "https://x.example/n/1/shares");
    assert.equal(uris.profilePage("alice"), "https://example.com/@alice");
    assert.equal(uris.instanceActor(), "https://example.com/actor");
    assert.equal(uris.instanceKey(), "https://example.com/actor#main-key");
  });

  it("puts documents under the prefix but profile pages at the root", () => {
    assert.equal(prefixed.actor("alice"), "https://example.com/activitypub/users/alice");
    assert.equal(prefixed.sharedInbox(), "https://example.com/activitypub/inbox");
    assert.equal(prefixed.instanceActor(), "https://example.com/activitypub/actor");
    assert.equal(prefixed.profilePage("alice"), "https://example.com/@alice");
  });

  it("rejects an origin that is not http(s)", () => {
    assert.throws(() => createLocalUris({ origin: "ftp://example.com" }), TypeError);
    assert.throws(() => createLocalUris({ origin: "not a url" }));
  });

  describe("parse", () => {
    const cases: [string, ParsedLocalUri | null][] = [
      ["https://example.com/users/alice", { kind: "actor", username: "alice" }],
      ["https://example.com/users/Alice", { kind: "actor", username: "alice" }],
      ["https://example.com/users/alice#main-key", { kind: "actor", username: "alice" }],
      ["https://example.com/users/alice/inbox", { kind: "inbox", username: "alice" }],
      ["https://example.com/users/alice/outbox?page=true", { kind: "outbox", username: "alice" }],
      ["https://example.com/users/alice/followers", { kind: "followers", username: "alice" }],
      ["https://example.com/users/alice/following", { kind: "following", username: "alice" }],
      ["https://example.com/users/alice/liked", { kind: "liked", username: "alice" }],
      ["https://example.com/users/alice/collections/featured", { kind: "featured", username: "alice" }],
      ["https://example.com/users/alice/objects/01J0", { kind: "object", username: "alice", id: "01J0" }],
      ["https://example.com/users/alice/objects/01J0/replies", { kind: "replies", username: "alice", id: "01J0" }],
      ["https://example.com/users/alice/objects/01J0/likes", { kind: "likes", username: "alice", id: "01J0" }],
      ["https://example.com/users/alice/objects/01J0/shares", { kind: "shares", username: "alice", id: "01J0" }],
      ["https://example.com/users/alice/activities/01J0", { kind: "activity", username: "alice", id: "01J0" }],
      ["https://example.com/inbox", { kind: "sharedInbox" }],
      ["https://example.com/actor", { kind: "instanceActor" }],
      ["https://example.com/actor#main-key", { kind: "instanceActor" }],
      ["https://example.com/actor/inbox", { kind: "inbox" }],
      ["https://example.com/users/alice#other", null],
      ["https://example.com/users/alice/activities/01J0/replies", null],
      ["https://example.com/users/al ice", null],
      ["https://example.com/users/alice/objects/a%2Fb", null],
      ["https://example.com/users/alice/unknown", null],
      ["https://example.com/@alice", null],
      ["https://other.example/users/alice", null],
      ["http://example.com/users/alice", null],
      ["not a uri", null],
    ];
    for (const [uri, expected] of cases) {
      it(`${uri} → ${expected?.kind ?? "null"}`, () => assert.deepEqual(uris.parse(uri), expected));
    }

    it("parses what it mints, with a prefix too", () => {
      for (const local of [uris, prefixed]) {
        const id = mintId();
        assert.deepEqual(local.parse(local.object("bob", id)), { kind: "object", username: "bob", id });
        assert.deepEqual(local.parse(local.followers("bob")), { kind: "followers", username: "bob" });
        assert.deepEqual(local.parse(local.replies(local.object("bob", "01X"))), { kind: "replies", username: "bob", id: "01X" });
        assert.deepEqual(local.parse(local.key("bob")), { kind: "actor", username: "bob" });
      }
      assert.equal(prefixed.parse("https://example.com/users/bob"), null);
    });
  });

  it("isLocal accepts anything on this origin, prefix or not, and nothing else", () => {
    assert.equal(prefixed.isLocal(prefixed.actor("alice")), true);
    assert.equal(prefixed.isLocal(prefixed.profilePage("alice")), true);
    assert.equal(prefixed.isLocal("https://example.com/blog/post"), true);
    assert.equal(uris.isLocal("https://example.com/blog/post"), true);
    assert.equal(uris.isLocal("https://evil.example/users/alice"), false);
    assert.equal(uris.isLocal("garbage"), false);
  });
});

describe("well-known URLs", () => {
  it("mints WebFinger and NodeInfo locations", () => {
    assert.equal(webFingerTemplate("https://example.com/"), "https://example.com/.well-known/webfinger?resource={uri}");
    assert.equal(nodeInfoUrl("https://example.com", "2.1"), "https://example.com/nodeinfo/2.1");
  });
});

describe("mintId", () => {
  it("is 26 Crockford base32 characters", () => {
    assert.match(mintId(), /^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it("sorts in creation order, within one millisecond too", () => {
    const now = 1_700_000_000_000;
    const ids = [mintId(now), mintId(now), mintId(now), mintId(now + 1), mintId(now + 1), mintId(now + 60_000)];
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
  });

  it("encodes the given time in the first ten characters", () => {
    assert.equal(mintId(0).slice(0, 10), "0000000000");
    assert.equal(mintId(1_700_000_000_000).slice(0, 10), "01HF7YAT00");
    assert.ok(mintId(1_700_000_000_000) < mintId(1_700_000_000_001));
  });

  it("does not repeat across many calls", () => {
    const ids = new Set(Array.from({ length: 5000 }, () => mintId()));
    assert.equal(ids.size, 5000);
  });
});

describe("isValidUsername", () => {
  const cases: [string, boolean][] = [
    ["alice", true],
    ["Alice_99", true],
    ["9lives", true],
    ["a", true],
    ["a".repeat(30), true],
    ["a".repeat(31), false],
    ["", false],
    ["_alice", false],
    ["al.ice", false],
    ["al-ice", false],
    ["alïce", false],
    ["alice ", false],
  ];
  for (const [name, expected] of cases) it(`${JSON.stringify(name)} → ${expected}`, () => assert.equal(isValidUsername(name), expected));
});
