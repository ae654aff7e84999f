import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { remoteActor } from "../../store/contract/fixtures.ts";
import type { ActorRecord, InteractionRecord } from "../../store/records.ts";
import { renderInteractionsHtml } from "./interactions-html.ts";
import { buildInteractionsView } from "./interactions-view.ts";

const TARGET = "https://outpost.example/users/bob/objects/1";

function reply(n: number, actor: ActorRecord, overrides: Partial<InteractionRecord> = {}): InteractionRecord {
  const uri = `${actor.uri}/notes/${n}`;
  return {
    uri,
    kind: "reply",
    targetUri: TARGET,
    localActorUri: "https://outpost.example/users/bob",
    actorUri: actor.uri,
    content: `<p>Reply ${n}</p>`,
    published: "2024-11-12T10:00:00.000Z",
    updated: null,
    visibility: "public",
    document: { id: uri, type: "Note", url: `https://remote.example/@${actor.username}/${n}` },
    createdAt: "2024-11-12T10:00:01.000Z",
    deletedAt: null,
    ...overrides,
  };
}

function render(records: InteractionRecord[], actors: ActorRecord[], extra: Partial<Parameters<typeof renderInteractionsHtml>[0]> = {}) {
  const view = buildInteractionsView({
    targetUri: TARGET,
    counts: { replies: records.length, likes: 3, boosts: 1, quotes: 0 },
    replies: records,
    actors: new Map(actors.map((actor) => [actor.uri, actor])),
    hasMoreReplies: false,
  });
  return renderInteractionsHtml({ view, ...extra });
}

const carol = remoteActor("carol", { name: "Carol", url: "https://remote.example/@carol", iconUrl: "https://remote.example/carol.png" });

describe("renderInteractionsHtml", () => {
  it("renders an accessible section: headings, labelled counts, avatar alt text, machine-readable dates", () => {
    const html = render([reply(1, carol)], [carol]);
    assert.match(html, /^<section class="outpost-interactions" aria-labelledby="(outpost-interactions-[a-z0-9]+)">/);
    const id = /aria-labelledby="([^"]+)"/.exec(html)?.[1];
    assert.ok(html.includes(`<h2 class="outpost-interactions__heading" id="${id}">`));
    assert.ok(html.includes('aria-label="3 likes"'));
    assert.ok(html.includes('aria-label="1 boost"'));
    assert.ok(html.includes('aria-label="0 quotes"'));
    assert.ok(html.includes('src="https://remote.example/carol.png" alt="Avatar of Carol"'));
    assert.ok(html.includes('<time datetime="2024-11-12T10:00:00.000Z">Nov 12, 2024, 10:00 AM</time>'));
    assert.ok(html.includes('href="https://remote.example/@carol"'));
    assert.ok(html.includes("@carol@remote.example"));
    assert.ok(html.includes("<p>Reply 1</p>"));
  });

  it("styles itself for light and dark through scoped custom properties", () => {
    const html = render([], []);
    assert.ok(html.includes("@media (prefers-color-scheme: dark){.outpost-interactions{--oi-bg:"));
    assert.ok(!/(^|})\s*(body|html|a|p)\s*\{/.test(html), "no unscoped rule");
    assert.ok(html.includes("No replies yet."));
    assert.ok(!render([], [], { includeStyles: false }).includes("<style>"));
  });

  it("leaves no script, event handler, unsafe URL or foreign style in hostile replies", () => {
    const eve = remoteActor("eve", {
      name: "</style><script>window.pwned=1</script>",
      url: "javascript:alert(1)",
      iconUrl: "javascript:alert(2)",
    });
    const hostile = reply(2, eve, {
      content:
        '<p>hi<script>window.pwned=1</script><img src=x onerror="window.pwned=1"><a href="javascript:alert(1)">click</a>' +
        '<svg onload="window.pwned=1"></svg><style>body{display:none}</style><span style="position:fixed;inset:0">x</span>' +
        '<a href="https://ok.example" onclick="window.pwned=1" class="evil mention">ok</a></p>',
      document: { id: `${eve.uri}/notes/2`, url: "javascript:alert(3)", summary: "<b>cw</b><script>x</script>" },
    });
    const html = render([hostile], [eve]);
    assert.ok(!/<script/i.test(html));
    assert.ok(!/\son[a-z]+=/i.test(html));
    assert.ok(!/javascript:/i.test(html));
    assert.ok(!/<svg|<img src="x"|style="/i.test(html));
    assert.equal((html.match(/<style>/g) ?? []).length, 1);
    assert.ok(html.includes("&lt;/style&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;"));
    assert.ok(html.includes('<a href="https://ok.example" class="mention" rel="nofollow noopener noreferrer" target="_blank">ok</a>'));
    assert.ok(html.includes("<summary>cw</summary>"));
  });

  it("hands the view and escapeHtml to a template and takes its output as the block", () => {
    const html = render([reply(3, carol, { content: "<p>a &amp; b</p>" })], [carol], {
      template: (view, { escapeHtml, labels }) =>
        `<ul>${view.replies.map((r) => `<li>${escapeHtml(r.author.name)}: ${r.contentHtml}</li>`).join("")}</ul><p>${escapeHtml(labels.heading)}</p>`,
      labels: { heading: "Réactions <3" },
    });
    assert.equal(html, "<ul><li>Carol: <p>a &amp; b</p></li></ul><p>Réactions &lt;3</p>");
  });

  it("translates through labels", () => {
    const html = render([], [], { labels: { likes: (n) => `${n} j'aime`, noReplies: "Aucune réponse." } });
    assert.ok(html.includes('aria-label="3 j&#39;aime"'));
    assert.ok(html.includes("Aucune réponse."));
  });
});
