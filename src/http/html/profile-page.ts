/**
 * The HTML profile of a local actor: who they are and what they posted
 * publicly. The actor's name and fields are text typed by a person and are
 * escaped; the summary is HTML and is sanitized like any remote HTML.
 */
import { renderProfileFieldValue } from "../../protocol/content.ts";
import { isHttpUri } from "../../protocol/json-ld.ts";
import { htmlToPlainText, sanitizeRemoteHtml } from "../../protocol/sanitize.ts";
import type { ActorRecord, ObjectRecord } from "../../store/records.ts";
import { escapeHtml, renderPage } from "./layout.ts";
import { renderPostView } from "./post-view.ts";

/** Parameters of {@link renderProfilePage}. */
export interface RenderProfilePageParams {
  readonly actor: ActorRecord;
  /** Host shown in the handle, e.g. "example.com". */
  readonly host: string;
  readonly followers: number;
  readonly following: number;
  /** Newest first; only posts anyone may see. */
  readonly posts: readonly ObjectRecord[];
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** The whole profile page. */
export function renderProfilePage(params: RenderProfilePageParams): string {
  const { actor, host } = params;
  const handle = `@${actor.username}@${host}`;
  const displayName = actor.name !== null && actor.name.trim() !== "" ? actor.name : actor.username;
  const parts: string[] = [`<header class="profile">`];
  if (isHttpUri(actor.iconUrl)) {
    parts.push(`<img class="avatar" src="${escapeHtml(actor.iconUrl)}" alt="">`);
  }
  parts.push(`<h1>${escapeHtml(displayName)}</h1>`, `<p class="handle">${escapeHtml(handle)}</p>`);
  if (actor.movedTo !== null) {
    parts.push(`<p>This account has moved to <a href="${escapeHtml(actor.movedTo)}">${escapeHtml(actor.movedTo)}</a>.</p>`);
  }
  if (actor.summary !== null && actor.summary !== "") {
    parts.push(`<div class="summary">${sanitizeRemoteHtml(actor.summary)}</div>`);
  }
  if (actor.fields.length > 0) {
    const rows = actor.fields.map(
      (field) => `<dt>${escapeHtml(field.name)}</dt><dd>${sanitizeRemoteHtml(renderProfileFieldValue(field.value))}</dd>`,
    );
    parts.push(`<dl class="fields">${rows.join("")}</dl>`);
  }
  parts.push(
    `<p class="counts"><span>${plural(params.followers, "follower")}</span><span>${params.following} following</span></p>`,
    `</header>`,
  );
  if (params.posts.length === 0) {
    parts.push(`<p class="meta">No public posts yet.</p>`);
  } else {
    const permalinkOf = (post: ObjectRecord) => (typeof post.document.url === "string" ? post.document.url : post.uri);
    parts.push(...params.posts.map((post) => renderPostView({ object: post, permalink: permalinkOf(post) })));
  }
  const description = actor.summary === null ? undefined : htmlToPlainText(actor.summary).slice(0, 300);
  return renderPage({
    title: `${displayName} (${handle})`,
    body: parts.join("\n"),
    description,
    activityJsonUrl: actor.uri,
  });
}
