import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildNote } from "./note.ts";
import { normalizeObject } from "./normalize.ts";
import { PUBLIC_COLLECTION } from "./vocabulary.ts";

const ID = "https://outpost.example/users/bob/objects/01J";
const base = {
  id: ID,
  attributedTo: "https://outpost.example/users/bob",
  content: "<p>hello</p>",
  to: [PUBLIC_COLLECTION],
  cc: ["https://outpost.example/users/bob/followers"],
  published: "2024-01-01T00:00:00Z",
};

describe("buildNote", () => {
  it("links its replies, likes and shares collections and sends Mastodon's explicit nulls", () => {
    const note = buildNote(base);
    assert.equal(note.replies, `${ID}/replies`);
    assert.equal(note.likes, `${ID}/likes`);
    assert.equal(note.shares, `${ID}/shares`);
    assert.equal(note.summary, null);
    assert.equal(note.inReplyTo, null);
    assert.equal(note.sensitive, false);
    assert.equal("contentMap" in note, false);
    assert.deepEqual(note.tag, []);
  });

  it("adds contentMap when the language is known", () => {
    assert.deepEqual(buildNote({ ...base, language: "de" }).contentMap, { de: "<p>hello</p>" });
  });

  it("marks a post with a content warning sensitive unless told otherwise", () => {
    assert.equal(buildNote({ ...base, summary: "spoilers" }).sensitive, true);
    assert.equal(buildNote({ ...base, summary: "spoilers", sensitive: false }).sensitive, false);
    assert.equal(buildNote({ ...base, summary: "" }).summary, null);
  });

  it("reads back through normalizeObject", () => {
    const tags = [{ type: "Hashtag", href: "https://outpost.example/tags/tea", name: "#tea" }];
    const result = normalizeObject(
      buildNote({
        ...base,
        summary: "cw",
        inReplyTo: "https://mastodon.example/users/alice/statuses/1",
        tags,
        url: "https://outpost.example/@bob/01J",
        updated: "2024-01-02T00:00:00Z",
        quote: "https://mastodon.example/users/alice/statuses/2",
      }),
    );
    assert.ok(result.ok);
    assert.equal(result.value.summary, "cw");
    assert.equal(result.value.sensitive, true);
    assert.equal(result.value.inReplyTo, "https://mastodon.example/users/alice/statuses/1");
    assert.equal(result.value.url, "https://outpost.example/@bob/01J");
    assert.equal(result.value.updated, "2024-01-02T00:00:00Z");
    assert.equal(result.value.quote, "https://mastodon.example/users/alice/statuses/2");
    assert.deepEqual(result.value.tags, tags);
  });
});
