/** A piece of plain text as the post composer sees it. */
export type TextToken =
  | { kind: "text"; text: string }
  | { kind: "url"; text: string }
  | { kind: "mention"; text: string; username: string; host: string }
  | { kind: "hashtag"; text: string; name: string };

const URL_RE = /https?:\/\/[^\s<>"'`]+/giu;

// Not after a word character, slash, `=` or `.`, so e-mail addresses and URL parts never match.
// A host may carry a port (`@alice@127.0.0.1:8080`): servers on a LAN or in tests are addressed so.
const MENTION_RE =
  /(?<![\p{L}\p{N}_/=.@+-])@([a-z0-9_]+(?:[a-z0-9_.-]*[a-z0-9_])?)@((?:(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?|localhost)(?::\d{1,5})?)(?![\p{L}\p{N}_@:-])/giu;

// At least one letter, so "#1" (an issue number, a ranking) stays text.
const HASHTAG_RE = /(?<![\p{L}\p{N}_/)&#])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu;

const TRAILING_PUNCTUATION = /[.,;:!?'"]+$/u;

/**
 * Splits plain text into URLs, `@user@host` mentions, `#hashtags` and the text between them.
 * URLs are found first so nothing inside a URL is taken for a mention or a hashtag.
 */
export function tokenizeText(text: string): TextToken[] {
  const tokens: TextToken[] = [];
  let position = 0;
  for (const match of text.matchAll(URL_RE)) {
    const url = trimUrl(match[0]);
    const start = match.index;
    if (start < position) continue;
    tokenizeWords(text.slice(position, start), tokens);
    tokens.push({ kind: "url", text: url });
    position = start + url.length;
  }
  tokenizeWords(text.slice(position), tokens);
  return tokens;
}

function tokenizeWords(text: string, tokens: TextToken[]): void {
  const found: { index: number; token: TextToken }[] = [];
  for (const match of text.matchAll(MENTION_RE)) {
    found.push({
      index: match.index,
      token: {
        kind: "mention",
        text: match[0],
        username: match[1] ?? "",
        host: (match[2] ?? "").toLowerCase(),
      },
    });
  }
  for (const match of text.matchAll(HASHTAG_RE)) {
    found.push({ index: match.index, token: { kind: "hashtag", text: match[0], name: match[1] ?? "" } });
  }
  found.sort((a, b) => a.index - b.index);
  let position = 0;
  for (const { index, token } of found) {
    if (index < position) continue;
    if (index > position) tokens.push({ kind: "text", text: text.slice(position, index) });
    tokens.push(token);
    position = index + token.text.length;
  }
  if (position < text.length) tokens.push({ kind: "text", text: text.slice(position) });
}

/** Drops sentence punctuation and unbalanced closing brackets that follow a URL in prose. */
function trimUrl(url: string): string {
  let out = url;
  for (;;) {
    const before = out;
    out = out.replace(TRAILING_PUNCTUATION, "");
    for (const [open, close] of [["(", ")"], ["[", "]"]] as const) {
      if (out.endsWith(close) && count(out, open) < count(out, close)) out = out.slice(0, -1);
    }
    if (out === before) return out;
  }
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}
