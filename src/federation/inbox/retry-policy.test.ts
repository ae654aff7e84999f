import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inboxRetryDelayMs } from "./retry-policy.ts";

describe("inboxRetryDelayMs", () => {
  it("waits longer after each failure", () => {
    const delays = [1, 2, 3, 4].map((attempts) => inboxRetryDelayMs({ attempts, maxAttempts: 10 }));
    assert.deepEqual(delays, [30_000, 120_000, 480_000, 1_920_000]);
  });

  it("never waits longer than the cap", () => {
    assert.equal(inboxRetryDelayMs({ attempts: 9, maxAttempts: 10, maxDelayMs: 60_000 }), 60_000);
  });

  it("gives up once the attempts are used up", () => {
    assert.equal(inboxRetryDelayMs({ attempts: 5, maxAttempts: 5 }), null);
    assert.equal(inboxRetryDelayMs({ attempts: 6, maxAttempts: 5 }), null);
  });

  it("starts from the given base delay", () => {
    assert.equal(inboxRetryDelayMs({ attempts: 1, maxAttempts: 3, baseDelayMs: 1000 }), 1000);
    assert.equal(inboxRetryDelayMs({ attempts: 2, maxAttempts: 3, baseDelayMs: 1000 }), 4000);
  });
});
