import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { htmlToPlainText, sanitizeRemoteHtml, sanitizeRemoteHtmlByParser } from "./sanitize.ts";

const REL = 'rel="nofollow noopener noreferrer" target="_blank"';

describe("sanitizeRemoteHtml keeps post formatting", () => {
  const cases: [string, string, string][] = [
    ["paragraphs and breaks", "<p>a<br>b</p><p>c</p>", "<p>a<br />b</p><p>c</p>"],
    ["inline formatting", "<strong>s</strong><em>e</em><b>b</b><i>i</i><u>u</u><del>d</del><s>x</s><code>c</code>", "<strong>s</strong><em>e</em><b>b</b><i>i</i><u>u</u><del>d</del><s>x</s><code>c</code>"],
    ["blocks and lists", "<blockquote><pre>p</pre></blockquote><ul><li>1</li></ul><ol start=\"3\"><li>2</li></ol>", "<blockquote><pre>p</pre></blockquote><ul><li>1</li></ul><ol start=\"3\"><li>2</li></ol>"],
    ["Mastodon mention", '<span class="h-card" translate="no"><a href="https://m.example/@a" class="u-url mention">@<span>a</span></a></span>', `<span class="h-card"><a href="https://m.example/@a" class="u-url mention" ${REL}>@<span>a</span></a></span>`],
    ["hashtag link loses rel=tag but keeps classes", '<a href="https://m.example/tags/x" class="mention hashtag" rel="tag">#<span>x</span></a>', `<a href="https://m.example/tags/x" class="mention hashtag" ${REL}>#<span>x</span></a>`],
    ["headings become bold", "<h1>Title</h1><h3>Sub</h3>", "<strong>Title</strong><strong>Sub</strong>"],
    ["mailto links", '<a href="mailto:a@b.example">mail</a>', `<a href="mailto:a@b.example" ${REL}>mail</a>`],
    ["escaped text stays escaped", "<p>1 &lt; 2 &amp;&amp; 3 &gt; 2</p>", "<p>1 &lt; 2 &amp;&amp; 3 &gt; 2</p>"],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.equal(sanitizeRemoteHtml(input), expected));
});

describe("sanitizeRemoteHtml removes hostile markup", () => {
  const cases: [string, string, string][] = [
    ["script with content", "<p>hi<script>alert(1)</script></p>", "<p>hi</p>"],
    ["uppercase script", "<SCRIPT>alert(1)</SCRIPT>ok", "ok"],
    ["event handler and image", '<img src="x" onerror="alert(1)"><p onclick="alert(1)">t</p>', "<p>t</p>"],
    ["javascript: URL", '<a href="javascript:alert(1)">x</a>', `<a ${REL}>x</a>`],
    ["obfuscated javascript: URL", '<a href=" j&#x61;vascript&colon;alert(1)">x</a><a href="java\tscript:alert(1)">y</a>', `<a ${REL}>x</a><a ${REL}>y</a>`],
    ["data: URL", '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', `<a ${REL}>x</a>`],
    ["protocol-relative URL", '<a href="//evil.example/">x</a>', `<a ${REL}>x</a>`],
    ["svg with script", "<svg onload=alert(1)><script>alert(2)</script><text>t</text></svg>after", "after"],
    ["style element and attribute", '<style>body{display:none}</style><p style="position:fixed">x</p>', "<p>x</p>"],
    ["iframe", '<iframe src="https://evil.example"></iframe>ok', "ok"],
    ["form controls", '<form action="https://evil.example"><input name="p"><button>go</button></form>', "go"],
    ["unknown classes", '<span class="h-card evil-overlay">x</span><a href="https://a.example" class="u-url big-red">y</a>', `<span class="h-card">x</span><a href="https://a.example" class="u-url" ${REL}>y</a>`],
    ["target and rel cannot be overridden", '<a href="https://a.example" target="_top" rel="opener">x</a>', `<a href="https://a.example" rel="nofollow noopener noreferrer" target="_blank">x</a>`],
    ["nested tag trick", "<<script>script>alert(1)<</script>/script>", "&lt;/script&gt;"],
    ["comment hiding markup", "<!--<script>alert(1)</script>-->ok", "ok"],
    ["meta refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example">ok', "ok"],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.equal(sanitizeRemoteHtml(input), expected));

  it("never lets a script or handler through on any fixture-like input", () => {
    const hostile = [
      '<a href="https://ok.example" onmouseover="x()">a</a>',
      '<span onclick="x()">b</span>',
      '<math><mi xlink:href="javascript:alert(1)">c</mi></math>',
      '<details open ontoggle="alert(1)">d</details>',
    ];
    for (const input of hostile) {
      const output = sanitizeRemoteHtml(input);
      assert.doesNotMatch(output, /on[a-z]+=|javascript:|<script|<math|<details/i, output);
    }
  });
});

describe("sanitizeRemoteHtml's shortcut for HTML that is clean already", () => {
  /** A small seeded generator, so that a failure can be replayed. */
  function generator(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const clean = ["a", "Zürich", " ", "\n", "\t", "&amp;", "&lt;", "&gt;", "<br />", "'", '"', "=", "/", "😀", "\u2028"];
  const risky = ["<p>", "</p>", "<br>", "<br/>", "&", "<", ">", "&#39;", "&quot;", "&nbsp;", "&amp", "\0", "\r", "\x0c", "\x7f",
    "<b>", "</b>", '<a href="javascript:x">', "</a>", "<script>", "<!--", "-->", "<p class=x>", "<P>", "<p >"];

  it("gives what the sanitizer gives for every generated string it takes, and takes common profiles", () => {
    const random = generator(20261124);
    const pick = (tokens: readonly string[]) => tokens[Math.floor(random() * tokens.length)]!;
    const text = (length: number, tokens: readonly string[]) => Array.from({ length }, () => pick(tokens)).join("");
    let shortcut = 0;
    for (let i = 0; i < 6000; i++) {
      const paragraphs = Array.from({ length: 1 + Math.floor(random() * 3) }, () => text(Math.floor(random() * 6), clean));
      const mixed = [...clean, ...risky];
      const input =
        i % 3 === 0 ? paragraphs.map((p) => `<p>${p}</p>`).join("")
        : i % 3 === 1 ? paragraphs.join("")
        : text(Math.floor(random() * 10), mixed);
      const expected = sanitizeRemoteHtmlByParser(input);
      const output = sanitizeRemoteHtml(input);
      assert.equal(output, expected, JSON.stringify(input));
      if (output === input) shortcut++;
    }
    assert.ok(shortcut > 3000, `only ${shortcut} of 6000 strings came out unchanged`);
    for (const profile of ["<p>Hello &amp; welcome<br />to my profile</p><p>Second paragraph</p>", "plain text bio", ""]) {
      assert.equal(sanitizeRemoteHtml(profile), profile);
    }
  });

  it("still cleans what only looks like clean HTML", () => {
    assert.equal(sanitizeRemoteHtml("<p>a</p><p>b"), "<p>a</p><p>b</p>");
    assert.equal(sanitizeRemoteHtml("<p>it&#39;s</p>"), "<p>it's</p>");
    assert.equal(sanitizeRemoteHtml("<p>a & b</p>"), "<p>a &amp; b</p>");
    assert.equal(sanitizeRemoteHtml("<p><p>x</p></p>"), sanitizeRemoteHtmlByParser("<p><p>x</p></p>"));
  });
});

describe("htmlToPlainText", () => {
  const cases: [string, string, string][] = [
    ["paragraphs and breaks", "<p>one<br>two</p><p>three</p>", "one\ntwo\n\nthree"],
    ["entities decoded", "<p>Fish &amp; chips &lt;3 &quot;yum&quot; &#39;ok&#39;</p>", "Fish & chips <3 \"yum\" 'ok'"],
    ["tags dropped, scripts with their content", "<b>bold</b><script>alert(1)</script> <a href='x'>link</a>", "bold link"],
    ["Misskey summary", "<p><span>にゃーん<br>I like </span><a href=\"https://m.example/tags/cats\">#cats</a></p>", "にゃーん\nI like #cats"],
    ["plain text passes through", "just text", "just text"],
    ["empty", "", ""],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.equal(htmlToPlainText(input), expected));
});
