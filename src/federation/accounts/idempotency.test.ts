import assert from "node:assert/strict";
import { test } from "node:test";
import { createAccountTestContexts } from "./accounts.test-support.ts";
import { beginIdempotentRequest, finishIdempotentRequest } from "./idempotency.ts";

test("a retried request replays the first one's activity; another request with the key is refused", async () => {
  const { ac, close } = await createAccountTestContexts();
  try {
    const first = { userId: "u1", key: "abc-123", request: "POST /outbox {note}" };
    assert.deepEqual(await beginIdempotentRequest(ac, first), { kind: "proceed" });
    const during = await beginIdempotentRequest(ac, first);
    assert.equal(during.kind === "refused" && during.reason, "inProgress");
    await finishIdempotentRequest(ac, { userId: "u1", key: "abc-123", activityUri: "https://local.test/a/1" });
    assert.deepEqual(await beginIdempotentRequest(ac, first), { kind: "replay", activityUri: "https://local.test/a/1" });
    const reused = await beginIdempotentRequest(ac, { ...first, request: "POST /outbox {other}" });
    assert.equal(reused.kind === "refused" && reused.reason, "keyReused");
    assert.deepEqual(await beginIdempotentRequest(ac, { ...first, userId: "u2" }), { kind: "proceed" });
  } finally {
    await close();
  }
});

test("a failed request frees its key; keys lapse after a day; odd keys are refused", async () => {
  const { ac, clock, close } = await createAccountTestContexts();
  try {
    const request = { userId: "u1", key: "k", request: "r" };
    await beginIdempotentRequest(ac, request);
    await finishIdempotentRequest(ac, { userId: "u1", key: "k" });
    assert.deepEqual(await beginIdempotentRequest(ac, request), { kind: "proceed" });
    await finishIdempotentRequest(ac, { userId: "u1", key: "k", activityUri: "https://local.test/a/1" });
    clock.advance(24 * 3600 * 1000 + 1);
    assert.deepEqual(await beginIdempotentRequest(ac, request), { kind: "proceed" });
    const odd = await beginIdempotentRequest(ac, { ...request, key: "with space" });
    assert.equal(odd.kind === "refused" && odd.reason, "invalidKey");
  } finally {
    await close();
  }
});
