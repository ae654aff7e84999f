import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  classifyWebhookResponse,
  nextWebhookAttempt,
  WEBHOOK_BASE_DELAY_MS,
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_MAX_DELAY_MS,
} from "./webhook-retry-policy.ts";

const NOW = new Date("2024-11-12T10:00:00Z");
const middle = () => 0.5;
const delayOf = (at: Date | null) => (at === null ? null : at.getTime() - NOW.getTime());

describe("nextWebhookAttempt", () => {
  it("doubles the pause after each failure", () => {
    assert.equal(delayOf(nextWebhookAttempt({ attempts: 1, now: NOW, random: middle })), WEBHOOK_BASE_DELAY_MS);
    assert.equal(delayOf(nextWebhookAttempt({ attempts: 2, now: NOW, random: middle })), 2 * WEBHOOK_BASE_DELAY_MS);
    assert.equal(delayOf(nextWebhookAttempt({ attempts: 4, now: NOW, random: middle })), 8 * WEBHOOK_BASE_DELAY_MS);
  });

  it("spreads retries by up to a fifth either way", () => {
    assert.equal(delayOf(nextWebhookAttempt({ attempts: 1, now: NOW, random: () => 0 })), 0.8 * WEBHOOK_BASE_DELAY_MS);
    assert.equal(delayOf(nextWebhookAttempt({ attempts: 1, now: NOW, random: () => 0.5 + 0.25 })), 1.1 * WEBHOOK_BASE_DELAY_MS);
  });

  it("waits as long as Retry-After asks, within the longest pause", () => {
    assert.equal(delayOf(nextWebhookAttempt({ attempts: 1, now: NOW, random: middle, retryAfterMs: 600_000 })), 600_000);
    assert.equal(delayOf(nextWebhookAttempt({ attempts: 1, now: NOW, random: middle, retryAfterMs: 10 * WEBHOOK_MAX_DELAY_MS })), WEBHOOK_MAX_DELAY_MS);
  });

  it("never pauses longer than the cap and gives up after the last attempt", () => {
    for (let attempts = 1; attempts < WEBHOOK_MAX_ATTEMPTS; attempts++) {
      const delay = delayOf(nextWebhookAttempt({ attempts, now: NOW, random: () => 0.999 }));
      assert.ok(delay !== null && delay <= WEBHOOK_MAX_DELAY_MS, `attempt ${attempts}: ${delay}`);
    }
    assert.equal(nextWebhookAttempt({ attempts: WEBHOOK_MAX_ATTEMPTS, now: NOW }), null);
  });
});

describe("classifyWebhookResponse", () => {
  const answered = (status: number, headers: Record<string, string> = {}) =>
    classifyWebhookResponse({
      response: { ok: true, status, headers: new Headers(headers), body: new Uint8Array(), url: "https://hooks.example/x" },
      url: "https://hooks.example/x",
      now: NOW,
    });

  it("takes any 2xx as delivered", () => {
    assert.deepEqual(answered(200), { kind: "delivered", status: 200 });
    assert.equal(answered(204).kind, "delivered");
  });

  it("retries 408, 429 and 5xx, honouring Retry-After", () => {
    assert.equal(answered(503).kind, "retry");
    assert.equal(answered(408).kind, "retry");
    const limited = answered(429, { "retry-after": "120" });
    assert.equal(limited.kind === "retry" && limited.retryAfterMs, 120_000);
  });

  it("treats other statuses as a refusal", () => {
    assert.equal(answered(404).kind, "refused");
    assert.equal(answered(301).kind, "refused");
  });

  it("retries network failures but not a blocked address", () => {
    const failed = (reason: "network" | "timeout" | "blockedAddress") =>
      classifyWebhookResponse({ response: { ok: false, reason, message: reason }, url: "https://hooks.example/x", now: NOW }).kind;
    assert.equal(failed("network"), "retry");
    assert.equal(failed("timeout"), "retry");
    assert.equal(failed("blockedAddress"), "refused");
  });
});
