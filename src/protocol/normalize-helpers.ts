import { asArray, idOf, idsOf, isHttpUri, isJsonObject, langString } from "./json-ld.ts";
import { isPublicAddress, PUBLIC_COLLECTION } from "./vocabulary.ts";

/**
 * The id of an optional reference when it is an http(s) URI. Anything else is dropped rather than
 * rejected: a malformed secondary reference (BookWyrm's empty `inReplyTo`, a `tag:` URI) should
 * not cost the whole document.
 */
export function optionalHttpId(value: unknown): string | undefined {
  for (const entry of asArray(value)) {
    const id = idOf(entry);
    if (isHttpUri(id)) return id;
  }
  return undefined;
}

/**
 * An addressing list (`to`, `cc`, ...). Accepts a single value or an array (GoToSocial sends a
 * bare string when there is one recipient), rewrites the public collection's aliases to its full
 * URI, drops entries that are neither public nor http(s), and removes duplicates.
 */
export function addressList(value: unknown): string[] {
  const out = new Set<string>();
  for (const id of idsOf(value)) {
    if (isPublicAddress(id)) out.add(PUBLIC_COLLECTION);
    else if (isHttpUri(id)) out.add(id);
  }
  return [...out];
}

/**
 * The browser-facing URL of a document. `url` may be a string, a Link, or an array of Links in
 * which PeerTube and Lemmy mix the HTML page with media files; the `text/html` one wins, then the
 * first http(s) entry.
 */
export function urlOf(value: unknown): string | undefined {
  const entries = asArray(value);
  for (const entry of entries) {
    if (isJsonObject(entry) && entry.mediaType === "text/html") {
      const href = linkHref(entry);
      if (isHttpUri(href)) return href;
    }
  }
  for (const entry of entries) {
    const href = typeof entry === "string" ? entry : isJsonObject(entry) ? linkHref(entry) : undefined;
    if (isHttpUri(href)) return href;
  }
  return undefined;
}

function linkHref(link: Record<string, unknown>): string | undefined {
  if (typeof link.href === "string") return link.href;
  // Some servers nest another url inside an Image-shaped entry.
  if (link.url !== undefined) return urlOf(link.url);
  return undefined;
}

/** The URL of the first usable image in an `icon`/`image` value (an Image, a URL, or an array). */
export function imageUrlOf(value: unknown): string | undefined {
  for (const entry of asArray(value)) {
    if (typeof entry === "string" && isHttpUri(entry)) return entry;
    if (isJsonObject(entry)) {
      const url = urlOf(entry.url ?? entry.href);
      if (url !== undefined) return url;
    }
  }
  return undefined;
}

/**
 * A human-readable text property with its language map fallback, treating blank values as absent.
 * Misskey sends a zero-width space as an "empty" content warning, so that counts as blank too.
 */
export function textOf(value: unknown, map?: unknown): string | undefined {
  const text = langString(value, map);
  if (text === undefined || /^[\s\u200B\u200C\u200D\uFEFF]*$/u.test(text)) return undefined;
  return text;
}

/** A string property, or undefined when it is not a non-empty string. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

