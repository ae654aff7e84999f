/**
 * Cross-site request forgery protection of the login and consent form: the
 * form page sets a random token in a SameSite=Strict, HttpOnly cookie and the
 * same token in a hidden field; a submission counts only when both arrive and
 * match. Another site can make a browser post the form, but cannot read the
 * token to put in it, and the cookie is not sent from another site at all.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../app-env.ts";

/** The cookie's name; the `__Host-` prefix (https only) pins it to this host and path "/". */
const COOKIE = "outpost_csrf";
const SECURE_COOKIE = "__Host-outpost_csrf";
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Parameters of {@link csrfToken} and {@link checkCsrf}. */
export interface CsrfParams {
  readonly c: Context<AppEnv>;
  /** Whether the server is reached over https, so the cookie can be Secure. */
  readonly secure: boolean;
}

/** The token for a form: the browser's current one, or a new one set as a cookie. */
export function csrfToken(params: CsrfParams): string {
  const { c, secure } = params;
  const name = secure ? SECURE_COOKIE : COOKIE;
  const current = getCookie(c, name);
  if (current !== undefined && TOKEN.test(current)) return current;
  const token = randomBytes(32).toString("base64url");
  setCookie(c, name, token, { httpOnly: true, sameSite: "Strict", secure, path: "/", maxAge: 3600 });
  return token;
}

/** Whether the submitted token matches the cookie. */
export type CheckCsrfResult = { readonly ok: true } | { readonly ok: false; readonly reason: "csrfMismatch"; readonly message: string };

/** Checks a form submission's hidden token against its cookie. */
export function checkCsrf(params: CsrfParams & { readonly submitted: string | undefined }): CheckCsrfResult {
  const cookie = getCookie(params.c, params.secure ? SECURE_COOKIE : COOKIE);
  const submitted = params.submitted;
  const refused = {
    ok: false,
    reason: "csrfMismatch",
    message: "the form expired or was not sent from this site; reload the page and try again",
  } as const;
  if (cookie === undefined || submitted === undefined || !TOKEN.test(cookie) || !TOKEN.test(submitted)) return refused;
  return timingSafeEqual(Buffer.from(cookie), Buffer.from(submitted)) ? { ok: true } : refused;
}
