import assert from "node:assert/strict";
import { test } from "node:test";
import { createAttemptLimiter } from "./attempt-limiter.ts";

const limits = {
  perAddress: { maxFailures: 4, windowMs: 60_000 },
  perUsername: { maxFailures: 2, windowMs: 60_000 },
  maxKeys: 3,
};

test("a username is locked after its failures, from any address", () => {
  const limiter = createAttemptLimiter({ limits });
  limiter.fail({ address: "10.0.0.1", username: "alice", now: 0 });
  limiter.fail({ address: "10.0.0.2", username: "Alice", now: 1 });
  assert.equal(limiter.check({ address: "10.0.0.3", username: "alice", now: 2 }).allowed, false);
  assert.equal(limiter.check({ address: "10.0.0.3", username: "bob", now: 2 }).allowed, true);
});

test("an address is locked after its failures, whatever username it tries", () => {
  const limiter = createAttemptLimiter({ limits });
  for (const username of ["a", "b", "c", "d"]) limiter.fail({ address: "10.0.0.9", username, now: 0 });
  assert.equal(limiter.check({ address: "10.0.0.9", username: "e", now: 1 }).allowed, false);
  assert.equal(limiter.check({ address: "10.0.0.9", now: 1 }).allowed, false);
  assert.equal(limiter.check({ address: "10.0.0.9", now: 60_000 }).allowed, true);
});

test("success clears the username's failures but not the address's", () => {
  const limiter = createAttemptLimiter({ limits: { ...limits, perAddress: { maxFailures: 2, windowMs: 60_000 } } });
  limiter.fail({ address: "x", username: "alice", now: 0 });
  limiter.fail({ address: "x", username: "alice", now: 0 });
  limiter.succeed({ username: "alice" });
  assert.equal(limiter.check({ address: "y", username: "alice", now: 1 }).allowed, true);
  assert.equal(limiter.check({ address: "x", now: 1 }).allowed, false);
});

test("counters stay bounded, forgetting the least recent first", () => {
  const limiter = createAttemptLimiter({ limits: { ...limits, perAddress: { maxFailures: 1, windowMs: 60_000 } } });
  limiter.fail({ address: "first", now: 0 });
  for (const address of ["b", "c", "d"]) limiter.fail({ address, now: 1 });
  assert.equal(limiter.check({ address: "first", now: 2 }).allowed, true, "forgotten");
  assert.equal(limiter.check({ address: "d", now: 2 }).allowed, false);
});
