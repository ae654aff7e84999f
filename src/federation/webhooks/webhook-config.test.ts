import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseWebhookConfigs, webhookId } from "./webhook-config.ts";

const SECRET = "a-secret-long-enough";

describe("parseWebhookConfigs", () => {
  it("accepts webhooks with known events and a long enough secret", () => {
    const parsed = parseWebhookConfigs({ input: [{ url: "https://hooks.example/a", events: ["follow", "quote"], secret: SECRET, format: "slack" }] });
    assert.equal(parsed.ok, true);
  });

  it("refuses unknown events, short secrets and non-http URLs", () => {
    for (const webhook of [
      { url: "https://hooks.example/a", events: ["favourite"], secret: SECRET },
      { url: "https://hooks.example/a", events: ["like"], secret: "short" },
      { url: "ftp://hooks.example/a", events: ["like"], secret: SECRET },
      { url: "https://hooks.example/a", events: [], secret: SECRET },
    ]) {
      const parsed = parseWebhookConfigs({ input: [webhook] });
      assert.equal(parsed.ok === false && parsed.reason, "invalidWebhooks", JSON.stringify(webhook));
    }
  });

  it("refuses two webhooks that jobs could not tell apart", () => {
    const twice = { url: "https://hooks.example/a", events: ["like"], secret: SECRET };
    const parsed = parseWebhookConfigs({ input: [twice, { ...twice }] });
    assert.equal(parsed.ok === false && parsed.reason, "duplicateName");
  });
});

describe("webhookId", () => {
  it("is the name when given, else stable for a URL", () => {
    assert.equal(webhookId({ webhook: { url: "https://a.example", events: ["like"], secret: SECRET, name: "chat" } }), "chat");
    const a = webhookId({ webhook: { url: "https://a.example", events: ["like"], secret: SECRET } });
    assert.equal(a, webhookId({ webhook: { url: "https://a.example", events: ["reply"], secret: "another-secret-value" } }));
    assert.notEqual(a, webhookId({ webhook: { url: "https://b.example", events: ["like"], secret: SECRET } }));
  });
});
