import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { authenticateChatRequest } from "./chat-auth.ts";

const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const BEARER = "a-script-secret-of-some-length";
const NOW = new Date("2024-11-12T10:00:00Z");
const BODY = "token=x&team_id=T1&user_name=bob&command=%2Fpost&text=Hello+world";

function slackHeaders(params: { body?: string; timestamp?: number; secret?: string } = {}): Headers {
  const timestamp = String(params.timestamp ?? Math.floor(NOW.getTime() / 1000));
  const signature = createHmac("sha256", params.secret ?? SIGNING_SECRET).update(`v0:${timestamp}:${params.body ?? BODY}`).digest("hex");
  return new Headers({ "x-slack-signature": `v0=${signature}`, "x-slack-request-timestamp": timestamp });
}

const check = (headers: Headers, body = BODY) =>
  authenticateChatRequest({ headers, body, now: NOW, slackSigningSecret: SIGNING_SECRET, bearerSecret: BEARER });

describe("authenticateChatRequest", () => {
  it("accepts a request signed with Slack's v0 scheme", () => {
    assert.deepEqual(check(slackHeaders()), { ok: true, method: "slackSignature" });
  });

  it("refuses a signature over another body or with another secret", () => {
    assert.equal(check(slackHeaders(), `${BODY}&extra=1`).ok, false);
    const wrong = check(slackHeaders({ secret: "another-signing-secret" }));
    assert.equal(wrong.ok === false && wrong.reason, "badSignature");
  });

  it("refuses a genuine signature more than five minutes old", () => {
    const old = Math.floor(NOW.getTime() / 1000) - 301;
    const stale = check(slackHeaders({ timestamp: old }));
    assert.equal(stale.ok === false && stale.reason, "staleTimestamp");
    assert.equal(check(slackHeaders({ timestamp: old + 2 })).ok, true);
  });

  it("accepts the bearer secret and nothing like it", () => {
    assert.deepEqual(check(new Headers({ authorization: `Bearer ${BEARER}` })), { ok: true, method: "bearerToken" });
    assert.equal(check(new Headers({ authorization: `Bearer ${BEARER}x` })).ok, false);
    assert.equal(check(new Headers({ authorization: `Bearer ${BEARER.slice(0, -1)}` })).ok, false);
    assert.equal(check(new Headers({ authorization: `Basic ${BEARER}` })).ok, false);
    const none = check(new Headers());
    assert.equal(none.ok === false && none.reason, "missingCredentials");
  });

  it("refuses a way in that is not configured", () => {
    const slackOnly = authenticateChatRequest({ headers: new Headers({ authorization: `Bearer ${BEARER}` }), body: BODY, now: NOW, slackSigningSecret: SIGNING_SECRET });
    assert.equal(slackOnly.ok === false && slackOnly.reason, "notConfigured");
    const bearerOnly = authenticateChatRequest({ headers: slackHeaders(), body: BODY, now: NOW, bearerSecret: BEARER });
    assert.equal(bearerOnly.ok === false && bearerOnly.reason, "notConfigured");
  });
});
