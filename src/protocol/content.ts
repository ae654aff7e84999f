import { tokenizeText } from "./text-tokens.ts";

/** A `@user@host` mention found in plain text. */
export interface MentionHandle {
  /** `user@host`, host lower-cased. */
  handle: string;
  username: string;
  host: string;
}

/** Mentions of remote accounts in plain text, first occurrence kept, compared case-insensitively. */
export function extractMentionHandles(text: string): MentionHandle[] {
  const seen = new Set<string>();
  const handles: MentionHandle[] = [];
  for (const token of tokenizeText(text)) {
    if (token.kind !== "mention") continue;
    const handle = `${token.username}@${token.host}`;
    const key = handle.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    handles.push({ handle, username: token.username, host: token.host });
  }
  return handles;
}

/** Hashtags in plain text, without `#`, first spelling kept, compared case-insensitively. */
export function extractHashtags(text: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const token of tokenizeText(text)) {
    if (token.kind !== "hashtag") continue;
    const key = token.name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    tags.push(token.name);
  }
  return tags;
}

/** Escapes text for use in HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** A resolved mention target. */
export interface MentionTarget {
  /** The actor id, used in the Mention tag. */
  readonly uri: string;
  /** The profile page, used as the link; the actor id when absent. */
  readonly url?: string;
}

/** What to render a post from. */
export interface RenderPlainTextParams {
  readonly text: string;
  /** Resolved mentions keyed by lower-case `user@host`; unresolved mentions stay plain text. */
  readonly mentions: ReadonlyMap<string, MentionTarget>;
  /** Prefix of hashtag pages, e.g. `https://example.com/tags/`. */
  readonly hashtagBase: string;
}

/** A post body as HTML plus the AS2 tags (Mention, Hashtag) it implies. */
export interface RenderedText {
  html: string;
  tags: Record<string, unknown>[];
}

const LINK_REL = "nofollow noopener noreferrer";

/**
 * Renders plain text as post HTML the way Mastodon does: escaped, a paragraph per blank-line
 * separated block, `<br>` for single newlines, links for http(s) URLs, h-card mentions and hashtag
 * links, with matching Mention and Hashtag tags.
 */
export function renderPlainText(params: RenderPlainTextParams): RenderedText {
  const tags: Record<string, unknown>[] = [];
  const taggedMentions = new Set<string>();
  const taggedHashtags = new Set<string>();
  const paragraphs = params.text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*(?:\n[ \t]*)+/)
    .map((paragraph) => paragraph.replace(/^\n+|\n+$/g, ""))
    .filter((paragraph) => paragraph.trim() !== "");

  const html = paragraphs.map((paragraph) => {
    const parts = tokenizeText(paragraph).map((token) => {
      switch (token.kind) {
        case "text":
          return escapeHtml(token.text).replaceAll("\n", "<br>");
        case "url":
          return `<a href="${escapeHtml(token.text)}" rel="${LINK_REL}" target="_blank">${escapeHtml(token.text)}</a>`;
        case "mention": {
          const target = params.mentions.get(`${token.username}@${token.host}`.toLowerCase());
          if (target === undefined) return escapeHtml(token.text);
          if (!taggedMentions.has(target.uri)) {
            taggedMentions.add(target.uri);
            tags.push({ type: "Mention", href: target.uri, name: `@${token.username}@${token.host}` });
          }
          const href = escapeHtml(target.url ?? target.uri);
          return `<span class="h-card"><a href="${href}" class="u-url mention">@<span>${escapeHtml(token.username)}</span></a></span>`;
        }
        case "hashtag": {
          const key = token.name.toLowerCase();
          const href = `${params.hashtagBase}${encodeURIComponent(key)}`;
          if (!taggedHashtags.has(key)) {
            taggedHashtags.add(key);
            tags.push({ type: "Hashtag", href, name: `#${key}` });
          }
          return `<a href="${escapeHtml(href)}" class="mention hashtag" rel="tag">#<span>${escapeHtml(token.name)}</span></a>`;
        }
      }
    });
    return `<p>${parts.join("")}</p>`;
  });
  return { html: html.join(""), tags };
}

/**
 * A profile field value as HTML: escaped text with http(s) URLs linked. `rel="me"` lets servers
 * verify that the linked page links back to the profile.
 */
export function renderProfileFieldValue(value: string): string {
  return tokenizeText(value)
    .map((token) =>
      token.kind === "url"
        ? `<a href="${escapeHtml(token.text)}" rel="me ${LINK_REL}" target="_blank">${escapeHtml(token.text)}</a>`
        : escapeHtml(token.text),
    )
    .join("");
}
