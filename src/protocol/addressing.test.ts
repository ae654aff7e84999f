import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { addressFor, recipientsOf, stripHiddenRecipients, visibilityOf, type Visibility } from "./addressing.ts";
import { normalizeObject } from "./normalize.ts";
import { PUBLIC_COLLECTION } from "./vocabulary.ts";

const FOLLOWERS = "https://outpost.example/users/bob/followers";
const CAROL = "https://c.example/users/carol";

describe("visibilityOf", () => {
  const cases: { name: string; to: string[]; cc: string[]; followersUri?: string; expected: Visibility }[] = [
    { name: "public in to", to: [PUBLIC_COLLECTION], cc: [FOLLOWERS], followersUri: FOLLOWERS, expected: "public" },
    { name: "as:Public in to", to: ["as:Public"], cc: [], expected: "public" },
    { name: "public in cc", to: [FOLLOWERS], cc: [PUBLIC_COLLECTION], followersUri: FOLLOWERS, expected: "unlisted" },
    { name: "followers only", to: [FOLLOWERS], cc: [CAROL], followersUri: FOLLOWERS, expected: "followers" },
    { name: "followers in cc", to: [CAROL], cc: [FOLLOWERS], followersUri: FOLLOWERS, expected: "followers" },
    { name: "someone else's followers", to: ["https://x.example/users/y/followers"], cc: [], followersUri: FOLLOWERS, expected: "direct" },
    { name: "followers guessed without followersUri", to: [FOLLOWERS], cc: [], expected: "followers" },
    { name: "mentions only", to: [CAROL], cc: [], followersUri: FOLLOWERS, expected: "direct" },
    { name: "nobody", to: [], cc: [], expected: "direct" },
  ];
  for (const { name, expected, ...params } of cases) {
    it(`${name} → ${expected}`, () => assert.equal(visibilityOf(params), expected));
  }

  const fixtures: [string, string, Visibility][] = [
    ["mastodon/note-followers-only.json", "https://mastodon.example/users/alice/followers", "followers"],
    ["mastodon/note-direct.json", "https://mastodon.example/users/alice/followers", "direct"],
    ["misskey/note-quote.json", "https://misskey.example/users/9xk2q7a1b3/followers", "public"],
    ["pleroma/note.json", "https://pleroma.example/users/lain/followers", "unlisted"],
  ];
  for (const [file, followersUri, expected] of fixtures) {
    it(`${file} is ${expected}`, () => {
      const json = JSON.parse(readFileSync(new URL(`../../test/fixtures/${file}`, import.meta.url), "utf8"));
      const result = normalizeObject(json);
      assert.ok(result.ok);
      assert.equal(visibilityOf({ to: result.value.to, cc: result.value.cc, followersUri }), expected);
    });
  }
});

describe("addressFor", () => {
  const mentions = [CAROL, CAROL, "https://d.example/users/dan"];
  const cases: { visibility: Visibility; to: string[]; cc: string[] }[] = [
    { visibility: "public", to: [PUBLIC_COLLECTION], cc: [FOLLOWERS, CAROL, "https://d.example/users/dan"] },
    { visibility: "unlisted", to: [FOLLOWERS], cc: [PUBLIC_COLLECTION, CAROL, "https://d.example/users/dan"] },
    { visibility: "followers", to: [FOLLOWERS], cc: [CAROL, "https://d.example/users/dan"] },
    { visibility: "direct", to: [CAROL, "https://d.example/users/dan"], cc: [] },
  ];
  for (const { visibility, to, cc } of cases) {
    it(visibility, () => {
      const addressed = addressFor({ visibility, followersUri: FOLLOWERS, mentions });
      assert.deepEqual(addressed, { to, cc });
      assert.equal(visibilityOf({ ...addressed, followersUri: FOLLOWERS }), visibility, "round trip");
    });
  }
});

describe("recipientsOf", () => {
  it("merges every addressing field, dedupes and leaves out the public collection", () => {
    assert.deepEqual(
      recipientsOf({
        to: [PUBLIC_COLLECTION, CAROL],
        cc: FOLLOWERS,
        bto: [CAROL, "https://d.example/users/dan"],
        bcc: "as:Public",
        audience: ["https://lemmy.example/c/x"],
      }),
      [CAROL, FOLLOWERS, "https://d.example/users/dan", "https://lemmy.example/c/x"],
    );
  });
  it("is empty for an activity without addressing", () => assert.deepEqual(recipientsOf({}), []));
});

describe("stripHiddenRecipients", () => {
  it("removes bto and bcc from the activity and its embedded object without touching the input", () => {
    const doc = {
      type: "Create",
      to: [CAROL],
      bto: ["https://secret.example/u/1"],
      bcc: ["https://secret.example/u/2"],
      object: { type: "Note", to: [CAROL], bcc: ["https://secret.example/u/2"] },
    };
    const stripped = stripHiddenRecipients(doc);
    assert.deepEqual(stripped, { type: "Create", to: [CAROL], object: { type: "Note", to: [CAROL] } });
    assert.deepEqual(doc.bto, ["https://secret.example/u/1"]);
    assert.deepEqual(doc.object.bcc, ["https://secret.example/u/2"]);
  });
  it("leaves an object reference alone", () => {
    assert.deepEqual(stripHiddenRecipients({ type: "Like", object: "https://a.example/n/1", bcc: [CAROL] }), {
      type: "Like",
      object: "https://a.example/n/1",
    });
  });
});
