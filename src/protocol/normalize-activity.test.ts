import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { normalizeActivity } from "./normalize-activity.ts";
import { PUBLIC_COLLECTION } from "./vocabulary.ts";

function fixture(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../test/fixtures/${path}`, import.meta.url), "utf8"));
}

describe("normalizeActivity on real server documents", () => {
  const cases: {
    fixture: string;
    expected: Record<string, unknown>;
    embeddedType?: string;
  }[] = [
    {
      fixture: "mastodon/create-note-public.json",
      expected: {
        id: "https://mastodon.example/users/alice/statuses/113456789012345678/activity",
        type: "Create",
        actor: "https://mastodon.example/users/alice",
        object: "https://mastodon.example/users/alice/statuses/113456789012345678",
        to: [PUBLIC_COLLECTION],
        cc: ["https://mastodon.example/users/alice/followers", "https://outpost.example/users/bob"],
        published: "2024-11-12T09:30:00Z",
        syntheticId: undefined,
      },
      embeddedType: "Note",
    },
    {
      fixture: "mastodon/follow.json",
      expected: {
        type: "Follow",
        actor: "https://mastodon.example/users/alice",
        object: "https://outpost.example/users/bob",
        to: [],
        cc: [],
      },
    },
    {
      fixture: "mastodon/accept-follow.json",
      expected: {
        type: "Accept",
        actor: "https://mastodon.example/users/alice",
        object: "https://outpost.example/users/bob/activities/01JCJ4A0000000000000000000",
      },
      embeddedType: "Follow",
    },
    {
      fixture: "mastodon/undo-follow.json",
      expected: {
        type: "Undo",
        object: "https://mastodon.example/3f0a7c1e-5b2d-4c8e-9a61-2d4e8b7f6a10",
      },
      embeddedType: "Follow",
    },
    {
      fixture: "mastodon/like.json",
      expected: {
        id: "https://mastodon.example/users/alice#likes/445566",
        type: "Like",
        object: "https://outpost.example/users/bob/objects/01JCJ3T6K8Q8Y7M5N4P3R2S1T0",
      },
    },
    {
      fixture: "mastodon/announce.json",
      expected: {
        type: "Announce",
        object: "https://outpost.example/users/bob/objects/01JCJ3T6K8Q8Y7M5N4P3R2S1T0",
        to: [PUBLIC_COLLECTION],
        cc: ["https://outpost.example/users/bob", "https://mastodon.example/users/alice/followers"],
      },
    },
    {
      fixture: "mastodon/delete-note.json",
      expected: { type: "Delete", object: "https://mastodon.example/users/alice/statuses/113456789012345678" },
      embeddedType: "Tombstone",
    },
    {
      fixture: "mastodon/delete-actor.json",
      expected: {
        type: "Delete",
        actor: "https://mastodon.example/users/carol",
        object: "https://mastodon.example/users/carol",
      },
    },
    {
      fixture: "mastodon/update-person.json",
      expected: { type: "Update", object: "https://mastodon.example/users/alice", to: [PUBLIC_COLLECTION] },
      embeddedType: "Person",
    },
    {
      fixture: "mastodon/move.json",
      expected: {
        type: "Move",
        actor: "https://old.example/users/alice",
        object: "https://old.example/users/alice",
        target: "https://mastodon.example/users/alice",
      },
    },
    {
      fixture: "gotosocial/create-note.json",
      expected: {
        type: "Create",
        actor: "https://gts.example/users/admin",
        object: "https://gts.example/users/admin/statuses/01FF25D5Q0DH7CHD57CTRS6WK0",
        to: [PUBLIC_COLLECTION],
        cc: ["https://gts.example/users/admin/followers", "https://outpost.example/users/bob"],
      },
      embeddedType: "Note",
    },
    {
      fixture: "gotosocial/delete-note.json",
      expected: {
        id: "https://gts.example/users/admin#delete/https%3A%2F%2Fgts.example%2Fusers%2Fadmin%2Fstatuses%2F01FF25D5Q0DH7CHD57CTRS6WK0",
        type: "Delete",
        object: "https://gts.example/users/admin/statuses/01FF25D5Q0DH7CHD57CTRS6WK0",
        to: [PUBLIC_COLLECTION],
        syntheticId: true,
      },
    },
    {
      fixture: "pixelfed/create-note-image.json",
      expected: {
        id: "https://pixelfed.example/p/dana/765432109876543210/activity",
        type: "Create",
        actor: "https://pixelfed.example/users/dana",
        object: "https://pixelfed.example/p/dana/765432109876543210",
      },
      embeddedType: "Note",
    },
  ];

  for (const { fixture: path, expected, embeddedType } of cases) {
    it(`reads ${path}`, () => {
      const json = fixture(path);
      const result = normalizeActivity(json);
      assert.ok(result.ok, result.ok ? "" : result.message);
      for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(result.value[key as keyof typeof result.value], value, key);
      }
      assert.equal(result.value.embeddedObject?.type, embeddedType);
      assert.equal(result.value.raw, json);
    });
  }
});

describe("normalizeActivity on loose shapes", () => {
  const base = {
    id: "https://a.example/activities/1",
    type: "Like",
    actor: "https://a.example/users/x",
    object: "https://b.example/notes/1",
  };
  const cases: { name: string; input: unknown; check: Record<string, unknown> }[] = [
    { name: "type array with an extension type", input: { ...base, type: ["Like", "litepub:Like"] }, check: { type: "Like" } },
    { name: "as: prefixed type", input: { ...base, type: "as:Announce" }, check: { type: "Announce" } },
    { name: "actor as an object", input: { ...base, actor: { id: "https://a.example/users/y", type: "Person" } }, check: { actor: "https://a.example/users/y" } },
    { name: "actor as an array", input: { ...base, actor: ["https://a.example/users/z", "https://a.example/users/w"] }, check: { actor: "https://a.example/users/z" } },
    { name: "public alias in addressing", input: { ...base, to: "as:Public", cc: ["Public", "https://a.example/users/x/followers"] }, check: { to: [PUBLIC_COLLECTION], cc: [PUBLIC_COLLECTION, "https://a.example/users/x/followers"] } },
    { name: "bto, bcc and audience", input: { ...base, bto: "https://c.example/u/1", bcc: ["https://c.example/u/2"], audience: "https://lemmy.example/c/x" }, check: { bto: ["https://c.example/u/1"], bcc: ["https://c.example/u/2"], audience: ["https://lemmy.example/c/x"] } },
    { name: "relay follow of the public collection", input: { ...base, type: "Follow", object: "as:Public" }, check: { object: PUBLIC_COLLECTION } },
    { name: "junk entries in addressing are dropped", input: { ...base, to: [42, null, "not a uri", "https://c.example/u/1"] }, check: { to: ["https://c.example/u/1"] } },
  ];
  for (const { name, input, check } of cases) {
    it(name, () => {
      const result = normalizeActivity(input);
      assert.ok(result.ok, result.ok ? "" : result.message);
      for (const [key, value] of Object.entries(check)) {
        assert.deepEqual(result.value[key as keyof typeof result.value], value, key);
      }
    });
  }
});

describe("normalizeActivity rejections", () => {
  const base = {
    id: "https://a.example/activities/1",
    type: "Like",
    actor: "https://a.example/users/x",
    object: "https://b.example/notes/1",
  };
  const cases: { name: string; input: unknown; reason: string; message: string }[] = [
    { name: "array", input: [base], reason: "notAnObject", message: "activity is not a JSON object" },
    { name: "string", input: "Like", reason: "notAnObject", message: "activity is not a JSON object" },
    { name: "no type", input: { ...base, type: undefined }, reason: "missingField", message: 'activity has no "type"' },
    { name: "no actor", input: { ...base, actor: undefined }, reason: "missingField", message: 'activity has no "actor"' },
    { name: "javascript actor", input: { ...base, actor: "javascript:alert(1)" }, reason: "invalidField", message: 'activity "actor" is not an http(s) URI' },
    { name: "non-http id", input: { ...base, id: "urn:uuid:1234" }, reason: "invalidField", message: 'activity "id" is not an http(s) URI' },
    { name: "no id and no object id", input: { ...base, id: undefined, object: undefined }, reason: "missingField", message: 'activity has no "object"' },
    { name: "Create without object", input: { ...base, type: "Create", object: undefined }, reason: "missingField", message: 'activity has no "object"' },
    { name: "object with a non-http id", input: { ...base, object: "ftp://b.example/x" }, reason: "invalidField", message: 'activity "object" is not an http(s) URI' },
    { name: "a Note is not an activity", input: { ...base, type: "Note" }, reason: "unsupportedType", message: '"Note" is not an activity type' },
    { name: "a Person is not an activity", input: { ...base, type: "Person" }, reason: "unsupportedType", message: '"Person" is not an activity type' },
    { name: "bad target", input: { ...base, type: "Move", target: "mailto:x@y.z" }, reason: "invalidField", message: 'activity "target" is not an http(s) URI' },
  ];
  for (const { name, input, reason, message } of cases) {
    it(name, () => {
      const result = normalizeActivity(input);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.reason, reason);
        assert.equal(result.message, message);
      }
    });
  }
});
