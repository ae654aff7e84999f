import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { InteractionEvent } from "../interactions/events.ts";
import { escapeSlackText, slackLink, slackMessage } from "./slack-message.ts";

function event(overrides: Partial<InteractionEvent> = {}): InteractionEvent {
  return {
    type: "mention",
    action: "created",
    uri: "https://mastodon.example/users/alice/statuses/1",
    url: "https://mastodon.example/@alice/1",
    actor: { uri: "https://mastodon.example/users/alice", name: "Alice", handle: "@alice@mastodon.example", url: "https://mastodon.example/@alice", iconUrl: null },
    localActorUri: "https://outpost.example/users/bob",
    targetUri: null,
    content: "<p>Hi <b>Bob</b> &amp; all</p>",
    visibility: "public",
    published: "2024-11-12T10:00:00Z",
    stored: true,
    occurredAt: "2024-11-12T10:00:01Z",
    ...overrides,
  };
}

describe("Slack messages", () => {
  it("escapes the three characters mrkdwn gives meaning to", () => {
    assert.equal(escapeSlackText({ text: "<!channel> & <@U123>" }), "&lt;!channel&gt; &amp; &lt;@U123&gt;");
  });

  it("links only http(s) URLs and keeps a label from closing the link", () => {
    assert.equal(slackLink({ url: "https://x.example/a", label: "a|b>c" }), "<https://x.example/a|a¦b&gt;c>");
    assert.equal(slackLink({ url: "javascript:alert(1)", label: "click" }), "click");
    assert.equal(slackLink({ url: "https://x.example/a|<!channel>", label: "x" }), "<https://x.example/a%7C%3C!channel%3E|x>");
  });

  it("tells who mentioned whom, with the content quoted as plain text", () => {
    const message = slackMessage({ event: event(), localActorName: "@bob" });
    assert.equal(message.text, "Alice (@alice@mastodon.example) mentioned @bob");
    const blocks = JSON.stringify(message.blocks);
    assert.ok(blocks.includes("<https://mastodon.example/@alice|Alice>"));
    assert.ok(blocks.includes(">Hi Bob &amp; all"));
    assert.ok(blocks.includes("<https://mastodon.example/@alice/1|View on the fediverse>"));
  });

  it("cannot be made to ping a channel or forge a link by a hostile name or content", () => {
    const hostile = event({
      actor: { ...event().actor, name: "<!channel> <https://evil.example|bank>" },
      content: "<p>&lt;!everyone&gt; <a href=\"https://evil.example\">x</a></p>",
    });
    const text = JSON.stringify(slackMessage({ event: hostile, localActorName: "@bob" }));
    assert.ok(!text.includes("<!channel>"));
    assert.ok(!text.includes("<!everyone>"));
    assert.ok(!text.includes("<https://evil.example|bank>"));
  });

  it("links the post a reply answers", () => {
    const reply = slackMessage({ event: event({ type: "reply", targetUri: "https://outpost.example/users/bob/objects/1" }), localActorName: "@bob" });
    assert.ok(JSON.stringify(reply.blocks).includes("replied to <https://outpost.example/users/bob/objects/1|a post by @bob>"));
  });
});
