import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { normalizeObject } from "./normalize-object.ts";
import { PUBLIC_COLLECTION } from "./vocabulary.ts";

function fixture(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../test/fixtures/${path}`, import.meta.url), "utf8"));
}

describe("normalizeObject on real server documents", () => {
  const cases: { fixture: string; path?: string[]; expected: Record<string, unknown> }[] = [
    {
      fixture: "mastodon/create-note-public.json",
      path: ["object"],
      expected: {
        type: "Note",
        attributedTo: "https://mastodon.example/users/alice",
        inReplyTo: undefined,
        summary: undefined,
        sensitive: false,
        url: "https://mastodon.example/@alice/113456789012345678",
        tags: [
          { type: "Mention", href: "https://outpost.example/users/bob", name: "@bob@outpost.example" },
          { type: "Hashtag", href: "https://mastodon.example/tags/fediverse", name: "#fediverse" },
        ],
        quote: undefined,
      },
    },
    {
      fixture: "mastodon/note-followers-only.json",
      expected: {
        summary: "food",
        sensitive: true,
        inReplyTo: "https://outpost.example/users/bob/objects/01JCJ3T6K8Q8Y7M5N4P3R2S1T0",
        to: ["https://mastodon.example/users/alice/followers"],
        cc: ["https://outpost.example/users/bob"],
        updated: "2024-11-12T10:05:00Z",
      },
    },
    {
      fixture: "mastodon/note-direct.json",
      expected: { to: ["https://outpost.example/users/bob"], cc: [], published: "2024-11-12T11:15:42Z" },
    },
    {
      fixture: "gotosocial/create-note.json",
      path: ["object"],
      expected: {
        to: [PUBLIC_COLLECTION],
        summary: undefined,
        tags: [{ type: "Mention", href: "https://outpost.example/users/bob", name: "@bob@outpost.example" }],
        url: "https://gts.example/@admin/statuses/01FF25D5Q0DH7CHD57CTRS6WK0",
      },
    },
    {
      fixture: "misskey/note-quote.json",
      expected: {
        attributedTo: "https://misskey.example/users/9xk2q7a1b3",
        quote: "https://mastodon.example/users/alice/statuses/113456789012345678",
        // Misskey marks an empty content warning with a zero-width space.
        summary: undefined,
        sensitive: true,
      },
    },
    {
      fixture: "pleroma/note.json",
      expected: {
        attributedTo: "https://pleroma.example/users/lain",
        sensitive: false,
        summary: undefined,
        cc: [PUBLIC_COLLECTION],
        to: ["https://outpost.example/users/bob", "https://pleroma.example/users/lain/followers"],
      },
    },
    {
      fixture: "bookwyrm/review.json",
      expected: {
        type: "Review",
        name: "Review of \"Alice's Adventures in Wonderland\" (4 stars): Curious indeed",
        inReplyTo: undefined,
        attachments: [
          {
            type: "Document",
            url: "https://bookwyrm.example/images/covers/alice.jpg",
            mediaType: "image/jpeg",
            name: "Alice's Adventures in Wonderland",
          },
        ],
      },
    },
    {
      fixture: "bookwyrm/quotation.json",
      // The quoted passage is text, not a post being quoted.
      expected: { type: "Quotation", quote: undefined, content: "<p>commentary</p>" },
    },
    {
      fixture: "pixelfed/create-note-image.json",
      path: ["object"],
      expected: {
        attachments: [
          {
            type: "Image",
            url: "https://pixelfed.example/storage/m/_v2/123456/abcdef-harbour.jpg",
            mediaType: "image/jpeg",
            name: "Boats moored in a harbour at sunrise, orange sky reflected in still water",
          },
        ],
        tags: [{ type: "Hashtag", href: "https://pixelfed.example/discover/tags/photography", name: "#photography" }],
      },
    },
    {
      fixture: "peertube/video.json",
      expected: {
        type: "Video",
        attributedTo: "https://peertube.example/accounts/linuxfan",
        url: "https://peertube.example/w/uXbT7UxTw5yVzN8PqHtL1a",
        mediaType: "text/markdown",
        name: "Weekly Linux news: Mesa, Wayland and more",
        tags: [{ type: "Hashtag", name: "linux" }],
      },
    },
    {
      fixture: "lemmy/page.json",
      expected: {
        type: "Page",
        attributedTo: "https://lemmy.example/u/picard",
        name: "Post title",
        content: "<p>This is a post in the /c/tenforward community</p>\n",
        attachments: [{ type: "Link", url: "https://images.example/pictrs/image/eOtYb9iEiB.png" }],
        to: ["https://lemmy.example/c/tenforward", PUBLIC_COLLECTION],
      },
    },
  ];

  for (const { fixture: file, path = [], expected } of cases) {
    it(`reads ${file}${path.length ? ` (${path.join(".")})` : ""}`, () => {
      let json: unknown = fixture(file);
      for (const key of path) json = (json as Record<string, unknown>)[key];
      const result = normalizeObject(json);
      assert.ok(result.ok, result.ok ? "" : result.message);
      for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(result.value[key as keyof typeof result.value], value, key);
      }
    });
  }

  it("takes content from contentMap when content is missing", () => {
    const result = normalizeObject({
      id: "https://a.example/notes/1",
      type: "Note",
      contentMap: { de: "<p>Hallo</p>" },
    });
    assert.ok(result.ok);
    assert.equal(result.value.content, "<p>Hallo</p>");
  });

  it("prefers FEP-044f quote over the older properties", () => {
    const result = normalizeObject({
      id: "https://a.example/notes/1",
      type: "Note",
      quote: "https://b.example/notes/2",
      quoteUri: "https://c.example/notes/3",
    });
    assert.ok(result.ok);
    assert.equal(result.value.quote, "https://b.example/notes/2");
  });

  it("reads fedibird quoteUri", () => {
    const result = normalizeObject({ id: "https://a.example/n/1", type: "Note", quoteUri: "https://c.example/notes/3" });
    assert.ok(result.ok);
    assert.equal(result.value.quote, "https://c.example/notes/3");
  });
});

describe("normalizeObject rejections", () => {
  const cases: { name: string; input: unknown; reason: string; message: string }[] = [
    { name: "null", input: null, reason: "notAnObject", message: "object is not a JSON object" },
    { name: "no type", input: { id: "https://a.example/n/1" }, reason: "missingField", message: 'object has no "type"' },
    { name: "no id", input: { type: "Note" }, reason: "missingField", message: 'object has no "id"' },
    { name: "data: id", input: { id: "data:text/plain,hi", type: "Note" }, reason: "invalidField", message: 'object "id" is not an http(s) URI' },
    { name: "an actor", input: { id: "https://a.example/u/1", type: "Person" }, reason: "unsupportedType", message: '"Person" is an actor, not an object' },
    { name: "an activity", input: { id: "https://a.example/a/1", type: "Create" }, reason: "unsupportedType", message: '"Create" is an activity, not an object' },
  ];
  for (const { name, input, reason, message } of cases) {
    it(name, () => {
      const result = normalizeObject(input);
      assert.deepEqual(result, { ok: false, reason, message });
    });
  }
});
