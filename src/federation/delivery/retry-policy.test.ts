import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_RETRY_DELAY_MS, nextDeliveryAttempt } from "./retry-policy.ts";

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const queuedAt = new Date("2025-03-01T00:00:00Z");

function delayAfter(params: { attempts: number; elapsedMs?: number; random?: number; retryAfterMs?: number; maxAgeMs?: number }): number | null {
  const now = new Date(queuedAt.getTime() + (params.elapsedMs ?? 0));
  const at = nextDeliveryAttempt({
    attempts: params.attempts,
    firstQueuedAt: queuedAt,
    now,
    maxAgeMs: params.maxAgeMs ?? 4 * DAY,
    retryAfterMs: params.retryAfterMs,
    random: () => params.random ?? 0.5,
  });
  return at === null ? null : at.getTime() - now.getTime();
}

describe("nextDeliveryAttempt", () => {
  const table: { attempts: number; expected: number }[] = [
    { attempts: 1, expected: 30_000 },
    { attempts: 2, expected: 60_000 },
    { attempts: 3, expected: 120_000 },
    { attempts: 5, expected: 480_000 },
    { attempts: 10, expected: 30_000 * 2 ** 9 },
  ];
  for (const row of table) {
    it(`waits ${row.expected} ms after attempt ${row.attempts} without jitter`, () => {
      assert.equal(delayAfter({ attempts: row.attempts }), row.expected);
    });
  }

  it("never waits longer than the cap, however many attempts failed", () => {
    assert.equal(delayAfter({ attempts: 40, random: 0.99 }), MAX_RETRY_DELAY_MS);
    assert.equal(delayAfter({ attempts: 5000, random: 0.99 }), MAX_RETRY_DELAY_MS);
  });

  it("spreads retries by up to 20% either way", () => {
    assert.equal(delayAfter({ attempts: 1, random: 0 }), 24_000);
    assert.equal(delayAfter({ attempts: 1, random: 0.75 }), 33_000);
  });

  it("waits at least as long as the server's Retry-After", () => {
    assert.equal(delayAfter({ attempts: 1, retryAfterMs: 10 * 60_000 }), 10 * 60_000);
    assert.equal(delayAfter({ attempts: 3, retryAfterMs: 1_000 }), 120_000);
  });

  it("gives up once the delivery is older than the maximum age", () => {
    assert.equal(delayAfter({ attempts: 20, elapsedMs: 4 * DAY }), null);
    assert.equal(delayAfter({ attempts: 20, elapsedMs: 5 * DAY }), null);
  });

  it("gives up when the next attempt would fall past the maximum age", () => {
    assert.equal(delayAfter({ attempts: 15, elapsedMs: 4 * DAY - HOUR }), null);
    assert.equal(delayAfter({ attempts: 1, elapsedMs: 4 * DAY - HOUR }), 30_000);
  });
});
