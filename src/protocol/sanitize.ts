import { createRequire } from "node:module";
import type sanitizeHtmlModule from "sanitize-html";

const require = createRequire(import.meta.url);
let sanitizer: typeof sanitizeHtmlModule | undefined;

/**
 * sanitize-html, loaded the first time HTML is cleaned: it brings an HTML
 * parser and CSS tooling, about sixty modules, which a server starting up
 * has no use for before the first remote document arrives.
 */
function sanitizeHtml(html: string, options: sanitizeHtmlModule.IOptions): string {
  sanitizer ??= require("sanitize-html") as typeof sanitizeHtmlModule;
  return sanitizer(html, options);
}

const LINK_REL = "nofollow noopener noreferrer";

/** Elements whose content is dropped with them, not kept as text. */
const DROPPED_WITH_CONTENT = [
  "script",
  "style",
  "textarea",
  "option",
  "noscript",
  "iframe",
  "object",
  "embed",
  "svg",
  "math",
  "template",
  "title",
  "head",
];

const HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"];

const REMOTE_HTML_OPTIONS: sanitizeHtmlModule.IOptions = {
  allowedTags: [
    "p",
    "br",
    "a",
    "span",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "del",
    "s",
    "blockquote",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
  ],
  allowedAttributes: {
    a: ["href", "rel", "class", "target"],
    span: ["class"],
    ol: ["start", "reversed"],
    li: ["value"],
  },
  // Only the microformat classes posts use; arbitrary classes could pick up the host page's styles.
  allowedClasses: {
    a: ["mention", "hashtag", "u-url", "h-card"],
    span: ["h-card", "invisible", "ellipsis"],
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  nonTextTags: DROPPED_WITH_CONTENT,
  transformTags: {
    // Remote headings would dominate a timeline; keep the emphasis, lose the size.
    ...Object.fromEntries(HEADINGS.map((tag) => [tag, "strong"])),
    a: (_tagName, attribs) => {
      // Rebuilt rather than overwritten so the forced attributes always come last, in one order.
      const { rel: _rel, target: _target, ...rest } = attribs;
      return { tagName: "a", attribs: { ...rest, rel: LINK_REL, target: "_blank" } };
    },
  },
};

/**
 * Makes HTML from another server safe to show: keeps text formatting, lists, quotes, code and
 * links (http, https, mailto only, always `rel="nofollow noopener noreferrer"` and
 * `target="_blank"`), and removes scripts, styles, event handlers, images (a remote image in text
 * tells its server who is reading), frames and everything else.
 */
export function sanitizeRemoteHtml(html: string): string {
  return ALREADY_CLEAN.test(html) ? html : sanitizeRemoteHtmlByParser(html);
}

/** {@link sanitizeRemoteHtml} without its shortcut; exported for the test that holds the two to the same answers. */
export function sanitizeRemoteHtmlByParser(html: string): string {
  return sanitizeHtml(html, REMOTE_HTML_OPTIONS);
}

/** Text with line breaks and none of the entities but the three the sanitizer writes itself. */
const CLEAN_TEXT = String.raw`(?:[^<>&]|&(?:amp|lt|gt);|<br />)*`;

/**
 * HTML that sanitizing gives back unchanged: such text alone or in
 * paragraphs. Many profiles and posts are no more than that, and the
 * sanitizer parses each string into elements and writes it out again, tens
 * of microseconds even for a one-line profile, more than storing it. A test
 * checks on thousands of generated strings that whatever this matches comes
 * out of the sanitizer as it went in. No part of it can match what another
 * part matches, so it runs in linear time on any input.
 */
const ALREADY_CLEAN = new RegExp(`^(?:${CLEAN_TEXT}|(?:<p>${CLEAN_TEXT}</p>)+)$`);

const BLOCK_END = /<\/(?:p|div|li|blockquote|pre|h[1-6]|tr)\s*>/gi;
const LINE_BREAK = /<br\s*\/?>/gi;

/**
 * HTML reduced to plain text for places that cannot show markup (summaries, titles, notifications):
 * line breaks and paragraph ends become newlines, tags are dropped, entities decoded.
 */
export function htmlToPlainText(html: string): string {
  const marked = html.replace(LINE_BREAK, "\n").replace(BLOCK_END, (end) => `${end}\n\n`);
  const text = sanitizeHtml(marked, {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: DROPPED_WITH_CONTENT,
  });
  return decodeBasicEntities(text)
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** sanitize-html re-escapes only these when it writes text back out. */
function decodeBasicEntities(text: string): string {
  return text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
}
