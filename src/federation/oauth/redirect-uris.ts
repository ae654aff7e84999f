/**
 * Which redirect URIs a client may register. Codes travel to these URIs, so
 * they must be exact, fragment-free and not able to run script: https
 * anywhere, http only to the loopback interface (native apps, RFC 8252),
 * private-use schemes of native apps, or the out-of-band value under which
 * the code is shown to the user to copy.
 */

/** The redirect URI that means "show me the code" (Mastodon and older OAuth clients). */
export const OUT_OF_BAND_REDIRECT = "urn:ietf:wg:oauth:2.0:oob";

const MAX_REDIRECT_URIS = 10;
const MAX_URI_LENGTH = 2000;
const FORBIDDEN_SCHEMES: ReadonlySet<string> = new Set(["javascript:", "data:", "vbscript:", "file:", "blob:", "about:", "filesystem:"]);
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Parameters of {@link checkRedirectUris}. */
export interface CheckRedirectUrisParams {
  readonly uris: readonly string[];
}

/** The URIs, or the first refused one and why. */
export type CheckRedirectUrisResult =
  | { readonly ok: true; readonly uris: string[] }
  | { readonly ok: false; readonly reason: "invalidRedirectUri"; readonly message: string };

/** Validates the redirect URIs a client registers. */
export function checkRedirectUris(params: CheckRedirectUrisParams): CheckRedirectUrisResult {
  const uris = [...new Set(params.uris.map((uri) => uri.trim()).filter((uri) => uri !== ""))];
  if (uris.length === 0) return refuse("at least one redirect URI is required");
  if (uris.length > MAX_REDIRECT_URIS) return refuse(`at most ${MAX_REDIRECT_URIS} redirect URIs may be registered`);
  for (const uri of uris) {
    const problem = problemOf(uri);
    if (problem !== null) return refuse(`redirect URI ${JSON.stringify(uri.slice(0, 100))} ${problem}`);
  }
  return { ok: true, uris };
}

function problemOf(uri: string): string | null {
  if (uri === OUT_OF_BAND_REDIRECT) return null;
  if (uri.length > MAX_URI_LENGTH) return "is too long";
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return "is not an absolute URI";
  }
  if (url.hash !== "" || uri.includes("#")) return "must not have a fragment";
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return "uses a scheme that is not allowed";
  if (url.username !== "" || url.password !== "") return "must not carry credentials";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:") return LOOPBACK_HOSTS.has(url.hostname) ? null : "must use https (http only for localhost)";
  // A native app's private-use scheme (RFC 8252 §7.1).
  return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) ? null : "has an invalid scheme";
}

function refuse(message: string): CheckRedirectUrisResult {
  return { ok: false, reason: "invalidRedirectUri", message };
}
