import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  extractHashtags,
  extractMentionHandles,
  renderPlainText,
  renderProfileFieldValue,
  type MentionTarget,
} from "./content.ts";

describe("extractMentionHandles", () => {
  const cases: [string, string, string[]][] = [
    ["a mention", "hi @alice@example.com!", ["alice@example.com"]],
    ["host lower-cased, deduped case-insensitively", "@Alice@Example.com and @alice@example.COM", ["Alice@example.com"]],
    ["several", "@a@x.example, @b_c@y.example.org.", ["a@x.example", "b_c@y.example.org"]],
    ["dots and dashes in username", "cc @first.last-1@z.example", ["first.last-1@z.example"]],
    ["e-mail address", "write to bob@example.com", []],
    ["inside a URL", "see https://x.example/@carol@y.example/123", []],
    ["in a URL query", "https://x.example/?u=@dan@y.example", []],
    ["local mention without host", "hey @alice", []],
    ["unicode host", "@ann@bücher.example", ["ann@bücher.example"]],
    ["start of a line", "@eve@e.example\n@fay@f.example", ["eve@e.example", "fay@f.example"]],
    ["host with a port", "hi @gus@127.0.0.1:8080, and @hal@localhost:3000.", ["gus@127.0.0.1:8080", "hal@localhost:3000"]],
    ["a time after a mention is not a port", "@ivy@i.example at 10:30", ["ivy@i.example"]],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => assert.deepEqual(extractMentionHandles(text).map((m) => m.handle), expected));
  }
  it("splits username and host", () => {
    assert.deepEqual(extractMentionHandles("@Zed@Host.Example"), [
      { handle: "Zed@host.example", username: "Zed", host: "host.example" },
    ]);
  });
});

describe("extractHashtags", () => {
  const cases: [string, string, string[]][] = [
    ["tags", "#Hello world #fediverse", ["Hello", "fediverse"]],
    ["deduped case-insensitively", "#Cats #cats #CATS", ["Cats"]],
    ["digits alone are not tags", "issue #123 and #4ever", ["4ever"]],
    ["URL fragment", "https://example.com/page#section", []],
    ["inside a word", "C#sharp", []],
    ["unicode", "#日本語 #café", ["日本語", "café"]],
    ["followed by punctuation", "(#ok), #fine.", ["ok", "fine"]],
  ];
  for (const [name, text, expected] of cases) it(name, () => assert.deepEqual(extractHashtags(text), expected));
});

describe("renderPlainText", () => {
  const mentions = new Map<string, MentionTarget>([
    ["alice@example.com", { uri: "https://example.com/users/alice", url: "https://example.com/@alice" }],
    ["bob@other.example", { uri: "https://other.example/u/bob" }],
  ]);
  const render = (text: string) => renderPlainText({ text, mentions, hashtagBase: "https://outpost.example/tags/" });

  const cases: [string, string, string][] = [
    ["escapes HTML", "<script>alert('x')</script> & \"q\"", "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;</p>"],
    ["paragraphs and line breaks", "one\ntwo\n\nthree\r\n\r\n\r\nfour", "<p>one<br>two</p><p>three</p><p>four</p>"],
    ["links URLs, leaving sentence punctuation out", "see https://example.org/a?b=1&c=2.", '<p>see <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener noreferrer" target="_blank">https://example.org/a?b=1&amp;c=2</a>.</p>'],
    ["keeps balanced parentheses", "(https://en.example/wiki/A_(b))", '<p>(<a href="https://en.example/wiki/A_(b)" rel="nofollow noopener noreferrer" target="_blank">https://en.example/wiki/A_(b)</a>)</p>'],
    ["does not link other schemes", "javascript:alert(1)", "<p>javascript:alert(1)</p>"],
    ["mention as h-card", "hi @Alice@example.com", '<p>hi <span class="h-card"><a href="https://example.com/@alice" class="u-url mention">@<span>Alice</span></a></span></p>'],
    ["mention links the actor when there is no profile URL", "@bob@other.example", '<p><span class="h-card"><a href="https://other.example/u/bob" class="u-url mention">@<span>bob</span></a></span></p>'],
    ["unresolved mention stays text", "@nobody@nowhere.example", "<p>@nobody@nowhere.example</p>"],
    ["hashtag link", "#Cats", '<p><a href="https://outpost.example/tags/cats" class="mention hashtag" rel="tag">#<span>Cats</span></a></p>'],
    ["empty", "  \n\n ", ""],
  ];
  for (const [name, text, html] of cases) it(name, () => assert.equal(render(text).html, html));

  it("returns one Mention tag per actor and one Hashtag tag per tag", () => {
    const { tags } = render("@alice@example.com #Cats @ALICE@example.com #cats @ghost@x.example");
    assert.deepEqual(tags, [
      { type: "Mention", href: "https://example.com/users/alice", name: "@alice@example.com" },
      { type: "Hashtag", href: "https://outpost.example/tags/cats", name: "#cats" },
    ]);
  });
});

describe("renderProfileFieldValue", () => {
  it("links URLs with rel=me and escapes the rest", () => {
    assert.equal(
      renderProfileFieldValue("<b> https://alice.example/"),
      '&lt;b&gt; <a href="https://alice.example/" rel="me nofollow noopener noreferrer" target="_blank">https://alice.example/</a>',
    );
    assert.equal(renderProfileFieldValue("she/her"), "she/her");
  });
});
