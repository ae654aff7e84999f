/**
 * One post as HTML, shared by the profile page and the post page. Content is
 * HTML from a document (possibly sent by another server, possibly edited
 * since), so it always goes through the sanitizer; everything else is text
 * and is escaped.
 */
import { isHttpUri, isJsonObject, langString } from "../../protocol/json-ld.ts";
import { sanitizeRemoteHtml } from "../../protocol/sanitize.ts";
import type { ObjectRecord } from "../../store/records.ts";
import { escapeHtml } from "./layout.ts";

/** Parameters of {@link renderPostView}. */
export interface RenderPostViewParams {
  readonly object: ObjectRecord;
  /** Where the post's own page is; no permalink when absent. */
  readonly permalink?: string;
}

/** The attached images of a post, with their descriptions. */
function renderImages(document: Record<string, unknown>): string {
  const attachments = Array.isArray(document.attachment) ? document.attachment : [];
  const images: string[] = [];
  for (const attachment of attachments.slice(0, 8)) {
    if (!isJsonObject(attachment)) continue;
    const mediaType = typeof attachment.mediaType === "string" ? attachment.mediaType : "";
    const url = typeof attachment.url === "string" ? attachment.url : undefined;
    if (!mediaType.startsWith("image/") || !isHttpUri(url)) continue;
    const alt = typeof attachment.name === "string" ? attachment.name : "";
    images.push(`<img src="${escapeHtml(url)}" alt="${escapeHtml(alt)}" loading="lazy" style="max-width:100%">`);
  }
  return images.length === 0 ? "" : `<div class="media">${images.join("")}</div>`;
}

/** A post as an `<article>`: content warning, content, images and date. */
export function renderPostView(params: RenderPostViewParams): string {
  const { object, permalink } = params;
  const document = object.document;
  const content = sanitizeRemoteHtml(langString(document.content, document.contentMap) ?? "");
  const warning = langString(document.summary, document.summaryMap);
  const name = langString(document.name, document.nameMap);
  const published = object.published ?? "";
  const date = published === "" ? "" : `<time datetime="${escapeHtml(published)}">${escapeHtml(published.slice(0, 10))}</time>`;
  const dateLink = permalink === undefined || date === "" ? date : `<a href="${escapeHtml(permalink)}">${date}</a>`;
  const parts = [`<article class="post">`];
  if (name !== undefined && name !== "") parts.push(`<h2>${escapeHtml(name)}</h2>`);
  const body = `${content}${renderImages(document)}`;
  if (warning !== undefined && warning !== "") {
    parts.push(`<details><summary>${escapeHtml(warning)}</summary>${body}</details>`);
  } else {
    parts.push(body);
  }
  if (dateLink !== "") parts.push(`<p class="meta">${dateLink}</p>`);
  parts.push(`</article>`);
  return parts.join("\n");
}
