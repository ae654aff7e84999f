import assert from "node:assert/strict";
import { test } from "node:test";
import { attemptVerdict, countFailure, type AttemptCounter } from "./attempt-policy.ts";

const policy = { maxFailures: 3, windowMs: 60_000 };

test("attempts are allowed until the window holds the most failures", () => {
  let counter: AttemptCounter | undefined;
  for (let i = 0; i < 3; i++) {
    assert.equal(attemptVerdict({ counter, now: 1000 + i, policy }).allowed, true);
    counter = countFailure({ counter, now: 1000 + i, policy });
  }
  const refused = attemptVerdict({ counter, now: 2000, policy });
  assert.equal(refused.allowed, false);
  assert.equal(!refused.allowed && refused.retryAfterMs, 59_000);
});

test("the window starts at the first failure and lapses whole", () => {
  let counter = countFailure({ counter: undefined, now: 0, policy });
  counter = countFailure({ counter, now: 50_000, policy });
  counter = countFailure({ counter, now: 59_000, policy });
  assert.equal(attemptVerdict({ counter, now: 59_999, policy }).allowed, false);
  assert.equal(attemptVerdict({ counter, now: 60_000, policy }).allowed, true);
  assert.deepEqual(countFailure({ counter, now: 60_000, policy }), { failures: 1, windowStart: 60_000 });
});
