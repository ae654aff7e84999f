/**
 * The interactions block as HTML: a `<section>` that a site embeds under a
 * post. It themes itself through CSS custom properties (light, and dark
 * under `prefers-color-scheme: dark`), overridable by the host page; it has
 * no scripts and no event-handler attributes, so it works under a strict
 * Content-Security-Policy (except for its `<style>`, which can be left out and
 * served from {@link INTERACTIONS_CSS} instead). A template can replace the
 * markup entirely.
 */
import { escapeHtml } from "../../protocol/content.ts";
import type { InteractionsView, ReplyView } from "./interactions-view.ts";

export { escapeHtml };

/** The texts of the block, for translation. */
export interface InteractionLabels {
  readonly heading: string;
  readonly repliesHeading: string;
  readonly noReplies: string;
  /** The accessible name of the list of counts. */
  readonly countsLabel: string;
  readonly replies: (count: number) => string;
  readonly likes: (count: number) => string;
  readonly boosts: (count: number) => string;
  readonly quotes: (count: number) => string;
  readonly avatarAlt: (name: string) => string;
  /** Shown beside the date of an edited reply. */
  readonly edited: string;
  /** Shown when there are more replies than listed. */
  readonly moreReplies: string;
  /** The date as shown; the `<time datetime>` keeps the ISO form. */
  readonly formatDate: (iso: string) => string;
}

const plural = (one: string, many: string) => (count: number) => `${count} ${count === 1 ? one : many}`;

/** English labels, dates in UTC. */
export const DEFAULT_LABELS: InteractionLabels = {
  heading: "Reactions from the fediverse",
  repliesHeading: "Replies",
  noReplies: "No replies yet.",
  countsLabel: "Reactions",
  replies: plural("reply", "replies"),
  likes: plural("like", "likes"),
  boosts: plural("boost", "boosts"),
  quotes: plural("quote", "quotes"),
  avatarAlt: (name) => `Avatar of ${name}`,
  edited: "edited",
  moreReplies: "More replies can be read on the fediverse.",
  formatDate: (iso) =>
    new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(iso)),
};

/** What a template gets besides the view. */
export interface TemplateHelpers {
  /** Escapes text for element content and quoted attribute values. */
  readonly escapeHtml: (text: string) => string;
  readonly labels: InteractionLabels;
}

/**
 * Replaces the markup. It must escape every string of the view except
 * `contentHtml`, which is sanitized already; its output is used as is.
 */
export type InteractionsTemplate = (view: InteractionsView, helpers: TemplateHelpers) => string;

/** The block's stylesheet; every rule is scoped to `.outpost-interactions`. */
export const INTERACTIONS_CSS = `
.outpost-interactions{--oi-bg:#ffffff;--oi-fg:#1f2328;--oi-muted:#59636e;--oi-border:#d1d9e0;--oi-card:#f6f8fa;--oi-link:#0550ae;
color-scheme:light dark;background:var(--oi-bg);color:var(--oi-fg);border:1px solid var(--oi-border);border-radius:8px;
padding:1rem 1.25rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:48rem;box-sizing:border-box}
@media (prefers-color-scheme: dark){.outpost-interactions{--oi-bg:#0d1117;--oi-fg:#e6edf3;--oi-muted:#9198a1;--oi-border:#3d444d;--oi-card:#151b23;--oi-link:#4493f8}}
.outpost-interactions *{box-sizing:border-box}
.outpost-interactions a{color:var(--oi-link)}
.outpost-interactions__heading{font-size:1.15rem;margin:0 0 .5rem}
.outpost-interactions__subheading{font-size:1rem;margin:1rem 0 .5rem}
.outpost-interactions__counts{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;list-style:none;margin:0;padding:0;color:var(--oi-muted)}
.outpost-interactions__replies{list-style:none;margin:0;padding:0;display:grid;gap:.75rem}
.outpost-interactions__reply{background:var(--oi-card);border:1px solid var(--oi-border);border-radius:6px;padding:.75rem}
.outpost-interactions__author{display:flex;align-items:center;gap:.5rem;text-decoration:none;color:inherit;min-width:0}
.outpost-interactions__avatar{width:40px;height:40px;border-radius:6px;object-fit:cover;flex:none;background:var(--oi-border)}
.outpost-interactions__name{font-weight:600;overflow-wrap:anywhere}
.outpost-interactions__handle{color:var(--oi-muted);font-size:.875rem;overflow-wrap:anywhere}
.outpost-interactions__meta{display:flex;justify-content:space-between;align-items:flex-start;gap:.5rem}
.outpost-interactions__date{color:var(--oi-muted);font-size:.8125rem;white-space:nowrap}
.outpost-interactions__content{margin-top:.5rem;overflow-wrap:anywhere}
.outpost-interactions__content p{margin:.25rem 0}
.outpost-interactions__content .invisible{display:none}
.outpost-interactions__content .ellipsis::after{content:"…"}
.outpost-interactions__empty,.outpost-interactions__more{color:var(--oi-muted);margin:.5rem 0 0}
`.trim();

/** Parameters of {@link renderInteractionsHtml}. */
export interface RenderInteractionsHtmlParams {
  readonly view: InteractionsView;
  readonly template?: InteractionsTemplate;
  /** Overrides some or all texts. */
  readonly labels?: Partial<InteractionLabels>;
  /** Put the stylesheet in a `<style>` inside the block; default true. */
  readonly includeStyles?: boolean;
}

/** The block's HTML. */
export function renderInteractionsHtml(params: RenderInteractionsHtmlParams): string {
  const labels: InteractionLabels = { ...DEFAULT_LABELS, ...params.labels };
  if (params.template !== undefined) return params.template(params.view, { escapeHtml, labels });
  const { view } = params;
  const headingId = `outpost-interactions-${hashOf(view.targetUri)}`;
  const counts = [
    ["replies", labels.replies(view.counts.replies)],
    ["likes", labels.likes(view.counts.likes)],
    ["boosts", labels.boosts(view.counts.boosts)],
    ["quotes", labels.quotes(view.counts.quotes)],
  ] as const;
  // Words rather than icons: they need no icon font, and read the same to everyone.
  const countItems = counts
    .map(
      ([kind, label]) =>
        `<li class="outpost-interactions__count outpost-interactions__count--${kind}" aria-label="${escapeHtml(label)}">${escapeHtml(label)}</li>`,
    )
    .join("");
  const replies =
    view.replies.length === 0
      ? `<p class="outpost-interactions__empty">${escapeHtml(labels.noReplies)}</p>`
      : `<ol class="outpost-interactions__replies">${view.replies.map((reply) => renderReply(reply, labels)).join("")}</ol>`;
  const more = view.hasMoreReplies ? `<p class="outpost-interactions__more">${escapeHtml(labels.moreReplies)}</p>` : "";
  const style = params.includeStyles === false ? "" : `<style>${INTERACTIONS_CSS}</style>`;
  return (
    `<section class="outpost-interactions" aria-labelledby="${headingId}">${style}` +
    `<h2 class="outpost-interactions__heading" id="${headingId}">${escapeHtml(labels.heading)}</h2>` +
    `<ul class="outpost-interactions__counts" aria-label="${escapeHtml(labels.countsLabel)}">${countItems}</ul>` +
    `<h3 class="outpost-interactions__subheading">${escapeHtml(labels.repliesHeading)}</h3>` +
    `${replies}${more}</section>`
  );
}

function renderReply(reply: ReplyView, labels: InteractionLabels): string {
  const { author } = reply;
  const avatar =
    author.avatarUrl === null
      ? `<span class="outpost-interactions__avatar" aria-hidden="true"></span>`
      : `<img class="outpost-interactions__avatar" src="${escapeHtml(author.avatarUrl)}" alt="${escapeHtml(labels.avatarAlt(author.name))}" ` +
        `width="40" height="40" loading="lazy" decoding="async" referrerpolicy="no-referrer">`;
  const date =
    reply.published === null || Number.isNaN(Date.parse(reply.published))
      ? ""
      : `<a class="outpost-interactions__date" href="${escapeHtml(reply.url)}" rel="nofollow noopener noreferrer">` +
        `<time datetime="${escapeHtml(new Date(reply.published).toISOString())}">${escapeHtml(labels.formatDate(reply.published))}</time>` +
        `${reply.edited ? ` (${escapeHtml(labels.edited)})` : ""}</a>`;
  const content =
    reply.summary === null
      ? `<div class="outpost-interactions__content">${reply.contentHtml}</div>`
      : `<details class="outpost-interactions__content"><summary>${escapeHtml(reply.summary)}</summary>${reply.contentHtml}</details>`;
  return (
    `<li class="outpost-interactions__reply"><article>` +
    `<div class="outpost-interactions__meta">` +
    `<a class="outpost-interactions__author" href="${escapeHtml(author.profileUrl)}" rel="nofollow noopener noreferrer">${avatar}` +
    `<span><span class="outpost-interactions__name">${escapeHtml(author.name)}</span><br>` +
    `<span class="outpost-interactions__handle">${escapeHtml(author.handle)}</span></span></a>${date}</div>` +
    `${content}</article></li>`
  );
}

/** A short, stable id fragment (FNV-1a), so two blocks on one page get distinct heading ids. */
function hashOf(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}
