/** The HTML page of one post, with who wrote it. */
import { htmlToPlainText } from "../../protocol/sanitize.ts";
import { langString } from "../../protocol/json-ld.ts";
import type { ActorRecord, ObjectRecord } from "../../store/records.ts";
import { escapeHtml, renderPage } from "./layout.ts";
import { renderPostView } from "./post-view.ts";

/** Parameters of {@link renderPostPage}. */
export interface RenderPostPageParams {
  readonly object: ObjectRecord;
  /** The author, when known. */
  readonly author: ActorRecord | null;
  /** Host shown in the author's handle. */
  readonly host: string;
  /** The author's profile page. */
  readonly profileUrl?: string;
}

/** The whole post page. */
export function renderPostPage(params: RenderPostPageParams): string {
  const { object, author } = params;
  const displayName = author === null ? "Unknown author" : author.name?.trim() || author.username;
  const handle = author === null ? "" : `@${author.username}@${params.host}`;
  const byline =
    params.profileUrl === undefined
      ? `<strong>${escapeHtml(displayName)}</strong>`
      : `<a href="${escapeHtml(params.profileUrl)}"><strong>${escapeHtml(displayName)}</strong></a>`;
  const body = [
    `<header><p>${byline} <span class="handle">${escapeHtml(handle)}</span></p></header>`,
    renderPostView({ object }),
  ].join("\n");
  // Behind a content warning, previews show the warning rather than the text it hides.
  const warning = langString(object.document.summary, object.document.summaryMap);
  const text =
    warning !== undefined && warning !== ""
      ? warning
      : htmlToPlainText(langString(object.document.content, object.document.contentMap) ?? "");
  return renderPage({
    title: `${displayName}: ${text.slice(0, 60) || object.type}`,
    body,
    description: text.slice(0, 300),
    activityJsonUrl: object.uri,
  });
}
