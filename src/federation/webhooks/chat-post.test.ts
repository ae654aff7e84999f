import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseChatCommand } from "./chat-post.ts";

describe("parseChatCommand", () => {
  it("reads a Slack slash command form", () => {
    const parsed = parseChatCommand({
      contentType: "application/x-www-form-urlencoded",
      body: "command=%2Fpost&user_name=bob&text=Hello+%26+welcome",
    });
    assert.deepEqual(parsed, { ok: true, command: { text: "Hello & welcome" } });
  });

  it("reads JSON from a script, with visibility and a content warning", () => {
    const parsed = parseChatCommand({
      contentType: "application/json; charset=utf-8",
      body: JSON.stringify({ text: "Deployed v2", visibility: "unlisted", summary: "ops" }),
    });
    assert.deepEqual(parsed, { ok: true, command: { text: "Deployed v2", visibility: "unlisted", summary: "ops" } });
  });

  it("refuses empty text, bad JSON, unknown visibilities and other media types", () => {
    const reason = (contentType: string, body: string) => {
      const parsed = parseChatCommand({ contentType, body });
      return parsed.ok ? "ok" : parsed.reason;
    };
    assert.equal(reason("application/x-www-form-urlencoded", "text=+++"), "emptyText");
    assert.equal(reason("application/x-www-form-urlencoded", "user_name=bob"), "emptyText");
    assert.equal(reason("application/json", "{"), "invalidBody");
    assert.equal(reason("application/json", JSON.stringify({ text: "x", visibility: "everyone" })), "invalidBody");
    assert.equal(reason("text/plain", "Hello"), "unsupportedMediaType");
  });
});
