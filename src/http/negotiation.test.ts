import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chooseRepresentation, parseAccept } from "./negotiation.ts";

describe("chooseRepresentation", () => {
  const cases: [string | null, "activity" | "ld" | "html"][] = [
    [null, "activity"],
    ["", "activity"],
    ["*/*", "activity"],
    ["application/activity+json", "activity"],
    ["application/json", "activity"],
    ['application/ld+json; profile="https://www.w3.org/ns/activitystreams"', "ld"],
    ["application/ld+json", "ld"],
    // Mastodon's fetch header: both JSON types, activity+json first.
    ['application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"', "activity"],
    // A browser.
    ["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"],
    ["text/html", "html"],
    ["application/activity+json, text/html", "activity"],
    ["text/html;q=0.5, application/activity+json;q=0.4", "html"],
    ["application/activity+json, */*", "activity"],
    ['application/ld+json; profile="https://example.com/other", text/html', "html"],
    ["image/png", "activity"],
  ];
  for (const [accept, expected] of cases) {
    it(`answers ${JSON.stringify(accept)} with ${expected}`, () => {
      assert.equal(chooseRepresentation({ accept }), expected);
    });
  }

  it("gives JSON for the .json alias whatever the Accept header says", () => {
    assert.equal(chooseRepresentation({ accept: "text/html", jsonSuffix: true }), "activity");
  });
});

describe("parseAccept", () => {
  it("keeps quoted parameters containing commas and semicolons together", () => {
    const ranges = parseAccept({ accept: 'application/ld+json; profile="a,b;c"; q=0.5, text/html' });
    assert.equal(ranges.length, 2);
    assert.equal(ranges[0]?.params.get("profile"), "a,b;c");
    assert.equal(ranges[0]?.q, 0.5);
    assert.equal(ranges[1]?.subtype, "html");
  });

  it("skips malformed entries", () => {
    const ranges = parseAccept({ accept: "garbage, text/html, /" });
    assert.deepEqual(
      ranges.map((range) => `${range.type}/${range.subtype}`),
      ["text/html"],
    );
  });
});
