/**
 * The frame of every HTML page: a tiny inline stylesheet that follows the
 * reader's colour scheme, and no scripts at all. Page bodies come in already
 * rendered; everything put into the frame here is escaped.
 */
import { escapeHtml } from "../../protocol/content.ts";

export { escapeHtml };

/** Pages allow inline styles and remote images only; never scripts, frames or forms. */
export const HTML_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Headers sent with every HTML page. */
export function htmlHeaders(): Record<string, string> {
  return {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": HTML_CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
  };
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fbfbfd; --muted: #6e6e73; --line: #d2d2d7; --accent: #3b5bdb; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8e8ed; --bg: #161618; --muted: #98989d; --line: #38383c; --accent: #8ea6ff; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.55 system-ui, sans-serif; }
main { max-width: 42rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
a { color: var(--accent); }
header.profile img.avatar { width: 5rem; height: 5rem; border-radius: 0.75rem; object-fit: cover; }
h1 { margin: 0.5rem 0 0; font-size: 1.6rem; }
.handle, .meta, .counts { color: var(--muted); }
.handle { margin: 0; }
.counts span + span::before { content: " · "; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 1rem 0; }
dl.fields dt { font-weight: 600; }
dl.fields dd { margin: 0; overflow-wrap: anywhere; }
article.post { border-top: 1px solid var(--line); padding: 1rem 0; overflow-wrap: anywhere; }
article.post .meta { font-size: 0.875rem; }
ul.items { padding-left: 1.25rem; overflow-wrap: anywhere; }
`;

/** What a page is made of. */
export interface RenderPageParams {
  /** Plain text; escaped here. */
  readonly title: string;
  /** Rendered HTML of the page's main content. */
  readonly body: string;
  /** Plain-text description for link previews; escaped here. */
  readonly description?: string;
  /** Alternate JSON representation (an ActivityPub id), announced in the head. */
  readonly activityJsonUrl?: string;
}

/** A whole HTML document around a rendered body. */
export function renderPage(params: RenderPageParams): string {
  const head = [
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeHtml(params.title)}</title>`,
  ];
  if (params.description !== undefined) {
    head.push(`<meta name="description" content="${escapeHtml(params.description)}">`);
  }
  if (params.activityJsonUrl !== undefined) {
    head.push(`<link rel="alternate" type="application/activity+json" href="${escapeHtml(params.activityJsonUrl)}">`);
  }
  head.push(`<style>${STYLE}</style>`);
  return `<!doctype html>\n<html lang="en">\n<head>\n${head.join("\n")}\n</head>\n<body>\n<main>\n${params.body}\n</main>\n</body>\n</html>\n`;
}

/** Parameters of {@link renderMessagePage}. */
export interface RenderMessagePageParams {
  readonly title: string;
  readonly message: string;
}

/** A page that only says something (errors, the instance actor). Both texts are escaped. */
export function renderMessagePage(params: RenderMessagePageParams): string {
  return renderPage({
    title: params.title,
    body: `<h1>${escapeHtml(params.title)}</h1>\n<p>${escapeHtml(params.message)}</p>`,
  });
}
