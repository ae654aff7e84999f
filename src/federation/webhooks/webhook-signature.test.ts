import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { signWebhookPayload, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from "./webhook-signature.ts";

const SECRET = "0123456789abcdef-secret";
const NOW = new Date("2024-11-12T10:00:00Z");
const TIMESTAMP = Math.floor(NOW.getTime() / 1000);
const BODY = '{"event":"reply"}';

function headersFor(signature: string, timestamp = TIMESTAMP): Headers {
  return new Headers({ [SIGNATURE_HEADER]: signature, [TIMESTAMP_HEADER]: String(timestamp) });
}

describe("webhook signatures", () => {
  it("is an HMAC-SHA256 of the timestamp and the body, as a receiver would compute it", () => {
    const expected = createHmac("sha256", SECRET).update(`${TIMESTAMP}.${BODY}`).digest("hex");
    assert.equal(signWebhookPayload({ secret: SECRET, timestamp: TIMESTAMP, body: BODY }), `sha256=${expected}`);
  });

  it("verifies an untouched delivery", () => {
    const signature = signWebhookPayload({ secret: SECRET, timestamp: TIMESTAMP, body: BODY });
    assert.deepEqual(verifyWebhookSignature({ secret: SECRET, headers: headersFor(signature), body: BODY, now: NOW }), { ok: true });
  });

  it("refuses a changed body, a wrong secret and a moved timestamp", () => {
    const signature = signWebhookPayload({ secret: SECRET, timestamp: TIMESTAMP, body: BODY });
    const check = (params: { body?: string; secret?: string; headers?: Headers }) =>
      verifyWebhookSignature({ secret: params.secret ?? SECRET, headers: params.headers ?? headersFor(signature), body: params.body ?? BODY, now: NOW });
    assert.equal(check({ body: '{"event":"like"}' }).ok, false);
    assert.equal(check({ secret: "another-secret-of-length" }).ok, false);
    const moved = check({ headers: headersFor(signature, TIMESTAMP + 1) });
    assert.equal(moved.ok === false && moved.reason, "badSignature");
  });

  it("refuses a replay outside the tolerance and a delivery without headers", () => {
    const old = TIMESTAMP - 3600;
    const signature = signWebhookPayload({ secret: SECRET, timestamp: old, body: BODY });
    const replay = verifyWebhookSignature({ secret: SECRET, headers: headersFor(signature, old), body: BODY, now: NOW });
    assert.equal(replay.ok === false && replay.reason, "staleTimestamp");
    const bare = verifyWebhookSignature({ secret: SECRET, headers: new Headers(), body: BODY, now: NOW });
    assert.equal(bare.ok === false && bare.reason, "missingHeaders");
  });
});
