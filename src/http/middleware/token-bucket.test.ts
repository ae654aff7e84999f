import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { takeToken, type TokenBucket } from "./token-bucket.ts";

describe("takeToken", () => {
  it("allows a burst, then refuses with the time until the next token", () => {
    let bucket: TokenBucket | undefined;
    for (let i = 0; i < 3; i++) {
      const result = takeToken({ bucket, now: 1000, ratePerMinute: 60, burst: 3 });
      assert.equal(result.ok, true);
      bucket = result.bucket;
    }
    const refused = takeToken({ bucket, now: 1000, ratePerMinute: 60, burst: 3 });
    assert.equal(refused.ok, false);
    assert.ok(!refused.ok && refused.retryAfterMs === 1000);
  });

  it("refills at the configured rate but never beyond the burst", () => {
    const empty: TokenBucket = { tokens: 0, updatedAt: 0 };
    assert.equal(takeToken({ bucket: empty, now: 500, ratePerMinute: 60, burst: 5 }).ok, false);
    const refilled = takeToken({ bucket: empty, now: 1000, ratePerMinute: 60, burst: 5 });
    assert.equal(refilled.ok, true);
    const capped = takeToken({ bucket: empty, now: 3_600_000, ratePerMinute: 60, burst: 5 });
    assert.equal(capped.bucket.tokens, 4);
  });

  it("does not drain the bucket when the clock goes backwards", () => {
    const result = takeToken({ bucket: { tokens: 2, updatedAt: 5000 }, now: 1000, ratePerMinute: 60, burst: 5 });
    assert.equal(result.ok, true);
    assert.equal(result.bucket.tokens, 1);
  });
});
