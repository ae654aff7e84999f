/**
 * The login and consent page of the authorization endpoint: plain
 * server-rendered HTML with no script, every value escaped. The request's
 * parameters travel in hidden fields, so the page needs no server session.
 */
import { escapeHtml, renderPage } from "../html/layout.ts";

/** The parameters of an authorization request, carried through the form. */
export const AUTHORIZATION_FIELDS = [
  "response_type",
  "client_id",
  "redirect_uri",
  "scope",
  "state",
  "code_challenge",
  "code_challenge_method",
] as const;

/** Headers of the page: no framing (clickjacking), no caching, no referrer leaking the query. */
export function authorizePageHeaders(): Record<string, string> {
  return {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
  };
}

/** Parameters of {@link renderAuthorizePage}. */
export interface RenderAuthorizePageParams {
  readonly clientName: string;
  readonly clientWebsite: string | null;
  readonly scopes: readonly string[];
  readonly host: string;
  readonly csrf: string;
  /** The request's parameters, to send back with the form. */
  readonly fields: Readonly<Record<string, string | undefined>>;
  /** Shown above the form (a failed login). */
  readonly error?: string;
  readonly username?: string;
}

/** The page asking the user to log in and approve the application. */
export function renderAuthorizePage(params: RenderAuthorizePageParams): string {
  const hidden = AUTHORIZATION_FIELDS.filter((name) => params.fields[name] !== undefined)
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.fields[name]!)}">`)
    .join("\n");
  const website =
    params.clientWebsite === null ? "" : ` (<a href="${escapeHtml(params.clientWebsite)}" rel="noopener noreferrer">${escapeHtml(params.clientWebsite)}</a>)`;
  const error = params.error === undefined ? "" : `<p role="alert" class="error"><strong>${escapeHtml(params.error)}</strong></p>`;
  const body = `<h1>Authorize ${escapeHtml(params.clientName)}</h1>
<p><strong>${escapeHtml(params.clientName)}</strong>${website} asks to use your account on ${escapeHtml(params.host)} with these permissions:</p>
<ul class="items">${params.scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join("")}</ul>
${error}
<form method="post" action="/oauth/authorize">
<input type="hidden" name="csrf_token" value="${escapeHtml(params.csrf)}">
${hidden}
<p><label>Username<br><input name="username" autocomplete="username" required value="${escapeHtml(params.username ?? "")}"></label></p>
<p><label>Password<br><input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit" name="decision" value="approve">Authorize</button>
<button type="submit" name="decision" value="deny" formnovalidate>Deny</button></p>
</form>`;
  return renderPage({ title: `Authorize ${params.clientName}`, body });
}

/** Parameters of {@link renderCodePage}. */
export interface RenderCodePageParams {
  readonly clientName: string;
  readonly code: string;
}

/** The page showing a code to copy into an application (out-of-band redirect). */
export function renderCodePage(params: RenderCodePageParams): string {
  const body = `<h1>Authorization code</h1>
<p>Copy this code into ${escapeHtml(params.clientName)}:</p>
<p><code>${escapeHtml(params.code)}</code></p>`;
  return renderPage({ title: "Authorization code", body });
}

/** Parameters of {@link renderOAuthErrorPage}. */
export interface RenderOAuthErrorPageParams {
  readonly message: string;
}

/** The page for a request that cannot be sent back to its application. */
export function renderOAuthErrorPage(params: RenderOAuthErrorPageParams): string {
  return renderPage({
    title: "Authorization failed",
    body: `<h1>Authorization failed</h1>\n<p>${escapeHtml(params.message)}</p>`,
  });
}
