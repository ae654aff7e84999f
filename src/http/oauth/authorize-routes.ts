/**
 * `/oauth/authorize`: GET shows the login and consent form for a checked
 * request; POST takes the form (CSRF token, credentials, decision), and
 * sends the browser back to the application with a code, or an error.
 */
import type { Context, Hono } from "hono";
import { authenticateUser } from "../../federation/accounts/users.ts";
import { checkAuthorizationRequest, issueAuthorizationCode, redirectWith } from "../../federation/oauth/authorization.ts";
import { OAUTH_PATHS } from "../../federation/oauth/metadata.ts";
import type { AppEnv } from "../app-env.ts";
import type { ClientApi } from "../c2s/client-api.ts";
import { clientAddress } from "../client-address.ts";
import { publicHost } from "../public-url.ts";
import { AUTHORIZATION_FIELDS, authorizePageHeaders, renderAuthorizePage, renderCodePage, renderOAuthErrorPage } from "./authorize-page.ts";
import { checkCsrf, csrfToken } from "./csrf.ts";
import { readInput, stringFields } from "./request-input.ts";

/** Parameters of {@link registerAuthorizeRoutes}. */
export interface RegisterAuthorizeRoutesParams {
  readonly app: Hono<AppEnv>;
  readonly api: ClientApi;
}

/** Adds GET and POST `/oauth/authorize`. */
export function registerAuthorizeRoutes(params: RegisterAuthorizeRoutesParams): void {
  const { app, api } = params;
  const { ctx, ac } = api;
  const secure = ctx.config.origin.startsWith("https:");

  const page = (c: Context<AppEnv>, html: string, status: 200 | 400 | 429 = 200) => c.body(html, status, authorizePageHeaders());
  const errorPage = (c: Context<AppEnv>, message: string, status: 400 | 429 = 400) => page(c, renderOAuthErrorPage({ message }), status);

  app.get(OAUTH_PATHS.authorize, async (c) => {
    c.set("format", "html");
    const fields = c.req.query();
    const checked = await checkAuthorizationRequest(ac, { params: fields });
    if (!checked.ok) return checked.redirect ? c.redirect(checked.location, 302) : errorPage(c, checked.message);
    const { client, scopes } = checked.request;
    return page(
      c,
      renderAuthorizePage({
        clientName: client.name,
        clientWebsite: client.website,
        scopes,
        host: publicHost({ ctx }),
        csrf: csrfToken({ c, secure }),
        fields: pick(fields),
      }),
    );
  });

  app.post(OAUTH_PATHS.authorize, async (c) => {
    c.set("format", "html");
    const fields = stringFields({ input: await readInput({ c, accept: ["form"] }) });
    const csrf = checkCsrf({ c, secure, submitted: fields.csrf_token });
    if (!csrf.ok) return errorPage(c, csrf.message);
    const checked = await checkAuthorizationRequest(ac, { params: fields });
    if (!checked.ok) return checked.redirect ? c.redirect(checked.location, 302) : errorPage(c, checked.message);
    const request = checked.request;

    if (fields.decision !== "approve") {
      if (request.redirectUri === "urn:ietf:wg:oauth:2.0:oob") return errorPage(c, "You denied the request.");
      const location = redirectWith({
        redirectUri: request.redirectUri,
        params: { error: "access_denied", error_description: "the user denied the request", state: request.state },
      });
      return c.redirect(location, 302);
    }

    const retry = (error: string, status: 400 | 429) =>
      page(
        c,
        renderAuthorizePage({
          clientName: request.client.name,
          clientWebsite: request.client.website,
          scopes: request.scopes,
          host: publicHost({ ctx }),
          csrf: csrfToken({ c, secure }),
          fields: pick(fields),
          error,
          username: fields.username,
        }),
        status,
      );
    const login = await authenticateUser(ac, {
      username: fields.username ?? "",
      password: fields.password ?? "",
      address: clientAddress({ c, trustProxy: api.trustProxy }),
    });
    if (!login.ok) {
      if (login.reason === "rateLimited") c.header("Retry-After", String(Math.max(1, Math.ceil(login.retryAfterMs / 1000))));
      return retry(login.message, login.reason === "rateLimited" ? 429 : 400);
    }
    const issued = await issueAuthorizationCode(ac, { request, user: login.user });
    if (!issued.ok) return issued.location === null ? errorPage(c, issued.message) : c.redirect(issued.location, 302);
    if (issued.location === null) return page(c, renderCodePage({ clientName: request.client.name, code: issued.code }));
    return c.redirect(issued.location, 302);
  });
}

/** The request's own parameters, to carry through the form. */
function pick(fields: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return Object.fromEntries(AUTHORIZATION_FIELDS.map((name) => [name, fields[name]]));
}
