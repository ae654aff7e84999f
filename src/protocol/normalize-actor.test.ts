import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { normalizeActor } from "./normalize-actor.ts";

function fixture(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../test/fixtures/${path}`, import.meta.url), "utf8"));
}

describe("normalizeActor on real server documents", () => {
  const cases: { fixture: string; path?: string[]; expected: Record<string, unknown>; keyId: string }[] = [
    {
      fixture: "mastodon/actor.json",
      keyId: "https://mastodon.example/users/alice#main-key",
      expected: {
        type: "Person",
        preferredUsername: "alice",
        name: "Alice Liddell",
        inbox: "https://mastodon.example/users/alice/inbox",
        outbox: "https://mastodon.example/users/alice/outbox",
        sharedInbox: "https://mastodon.example/inbox",
        followers: "https://mastodon.example/users/alice/followers",
        following: "https://mastodon.example/users/alice/following",
        featured: "https://mastodon.example/users/alice/collections/featured",
        url: "https://mastodon.example/@alice",
        iconUrl: "https://files.mastodon.example/accounts/avatars/109/000/000/original/7a1b2c3d.png",
        manuallyApprovesFollowers: false,
        discoverable: true,
        alsoKnownAs: ["https://old.example/users/alice"],
        published: "2022-11-04T00:00:00Z",
      },
    },
    {
      fixture: "mastodon/update-person.json",
      path: ["object"],
      keyId: "https://mastodon.example/users/alice#main-key",
      expected: { name: "Alice (she/her)" },
    },
    {
      fixture: "gotosocial/actor.json",
      keyId: "https://gts.example/users/1happyturtle/main-key",
      expected: {
        preferredUsername: "1happyturtle",
        sharedInbox: undefined,
        manuallyApprovesFollowers: true,
        discoverable: false,
        fields: [
          { name: "should you follow me?", value: "maybe!" },
          { name: "age", value: "120" },
        ],
      },
    },
    {
      fixture: "misskey/actor.json",
      keyId: "https://misskey.example/users/9xk2q7a1b3#main-key",
      expected: {
        preferredUsername: "neko",
        sharedInbox: "https://misskey.example/inbox",
        url: "https://misskey.example/@neko",
        iconUrl: "https://misskey.example/files/webpublic-3b1c7f0e-1a2b-4c5d-8e9f-0a1b2c3d4e5f",
        fields: [
          {
            name: "Blog",
            value: '<a href="https://neko.example/" rel="me nofollow noopener" target="_blank">https://neko.example/</a>',
          },
        ],
      },
    },
    {
      fixture: "pleroma/actor.json",
      keyId: "https://pleroma.example/users/lain#main-key",
      expected: {
        sharedInbox: "https://pleroma.example/inbox",
        url: "https://pleroma.example/users/lain",
        alsoKnownAs: [],
        fields: [{ name: "Pronouns", value: "they/them" }],
      },
    },
    {
      fixture: "akkoma/actor.json",
      keyId: "https://akkoma.example/users/floof#main-key",
      expected: {
        alsoKnownAs: ["https://pleroma.example/users/floof"],
        manuallyApprovesFollowers: true,
        published: "2023-01-15T10:00:00.000000Z",
      },
    },
    {
      fixture: "lemmy/group.json",
      keyId: "https://lemmy.example/c/tenforward#main-key",
      expected: {
        type: "Group",
        preferredUsername: "tenforward",
        sharedInbox: "https://lemmy.example/inbox",
        featured: "https://lemmy.example/c/tenforward/featured",
        following: undefined,
        iconUrl: "https://lemmy.example/pictrs/image/waqyZwLAy4.webp",
      },
    },
  ];

  for (const { fixture: file, path = [], expected, keyId } of cases) {
    it(`reads ${file}${path.length ? ` (${path.join(".")})` : ""}`, () => {
      let json: unknown = fixture(file);
      for (const key of path) json = (json as Record<string, unknown>)[key];
      const result = normalizeActor(json);
      assert.ok(result.ok, result.ok ? "" : result.message);
      for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(result.value[key as keyof typeof result.value], value, key);
      }
      assert.equal(result.value.publicKeys.length, 1);
      assert.equal(result.value.publicKeys[0]?.id, keyId);
      assert.equal(result.value.publicKeys[0]?.owner, result.value.id);
      assert.match(result.value.publicKeys[0]?.publicKeyPem ?? "", /^-----BEGIN PUBLIC KEY-----\n/);
    });
  }
});

describe("normalizeActor on loose shapes", () => {
  const base = {
    id: "https://a.example/users/x",
    type: "Person",
    inbox: "https://a.example/users/x/inbox",
  };
  const key = (id: string, owner?: string) => ({
    id,
    ...(owner === undefined ? {} : { owner }),
    publicKeyPem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
  });

  it("reads publicKey given as an array and Misskey's additionalPublicKeys", () => {
    const result = normalizeActor({
      ...base,
      publicKey: [key("https://a.example/users/x#main-key", base.id)],
      additionalPublicKeys: [key("https://a.example/users/x#ed25519-key", base.id)],
    });
    assert.ok(result.ok);
    assert.deepEqual(
      result.value.publicKeys.map((k) => k.id),
      ["https://a.example/users/x#main-key", "https://a.example/users/x#ed25519-key"],
    );
  });

  it("defaults a key's owner to the actor and drops keys owned by someone else", () => {
    const result = normalizeActor({
      ...base,
      publicKey: [key("https://a.example/users/x#k1"), key("https://a.example/users/y#k2", "https://a.example/users/y")],
    });
    assert.ok(result.ok);
    assert.deepEqual(result.value.publicKeys.map((k) => [k.id, k.owner]), [["https://a.example/users/x#k1", base.id]]);
  });

  it("ignores a publicKey given only by reference", () => {
    const result = normalizeActor({ ...base, publicKey: "https://a.example/users/x#main-key" });
    assert.ok(result.ok);
    assert.deepEqual(result.value.publicKeys, []);
  });

  it("reads icon given as an array and url as a Link", () => {
    const result = normalizeActor({
      ...base,
      icon: [{ type: "Image", url: { type: "Link", href: "https://a.example/avatar.png" } }],
      url: { type: "Link", href: "https://a.example/@x", mediaType: "text/html" },
    });
    assert.ok(result.ok);
    assert.equal(result.value.iconUrl, "https://a.example/avatar.png");
    assert.equal(result.value.url, "https://a.example/@x");
  });

  it("reads movedTo and a name given only as nameMap", () => {
    const result = normalizeActor({ ...base, movedTo: "https://b.example/users/x", nameMap: { en: "Ex" } });
    assert.ok(result.ok);
    assert.equal(result.value.movedTo, "https://b.example/users/x");
    assert.equal(result.value.name, "Ex");
  });

  const rejections: { name: string; input: unknown; reason: string; message: string }[] = [
    { name: "not an object", input: 5, reason: "notAnObject", message: "actor is not a JSON object" },
    { name: "a Note", input: { ...base, type: "Note" }, reason: "unsupportedType", message: '"Note" is not an actor type' },
    { name: "no inbox", input: { ...base, inbox: undefined }, reason: "missingField", message: 'actor has no "inbox"' },
    { name: "javascript inbox", input: { ...base, inbox: "javascript:void(0)" }, reason: "invalidField", message: 'actor "inbox" is not an http(s) URI' },
    { name: "no id", input: { ...base, id: undefined }, reason: "missingField", message: 'actor has no "id"' },
  ];
  for (const { name, input, reason, message } of rejections) {
    it(`rejects ${name}`, () => {
      assert.deepEqual(normalizeActor(input), { ok: false, reason, message });
    });
  }
});
