import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isActorStale, mayRefetch, MIN_REFETCH_INTERVAL_MS } from "./actor-staleness.ts";

const now = new Date("2025-03-01T12:00:00Z");
const DAY = 24 * 3600 * 1000;
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

describe("isActorStale", () => {
  const table: [string, string | null, boolean][] = [
    ["fetched just now", ago(0), false],
    ["fetched an hour ago", ago(3600 * 1000), false],
    ["fetched exactly a day ago", ago(DAY), true],
    ["fetched a week ago", ago(7 * DAY), true],
    ["never fetched", null, true],
    ["with an unreadable time", "yesterday-ish", true],
  ];
  for (const [name, fetchedAt, stale] of table) {
    it(`${stale ? "is" : "is not"} stale when ${name}`, () => {
      assert.equal(isActorStale({ fetchedAt, now, staleAfterMs: DAY }), stale);
    });
  }
});

describe("mayRefetch", () => {
  it("allows a forced refetch only once the minimum interval has passed", () => {
    assert.equal(mayRefetch({ fetchedAt: ago(1000), now }), false);
    assert.equal(mayRefetch({ fetchedAt: ago(MIN_REFETCH_INTERVAL_MS), now }), true);
    assert.equal(mayRefetch({ fetchedAt: null, now }), true);
  });
});
