/**
 * How a client identifies itself at the token, revocation and introspection
 * endpoints: HTTP Basic with its id and secret (RFC 6749 §2.3.1, each part
 * form-encoded first), or `client_id`/`client_secret` in the body. Using both
 * at once is refused, so there is never a question of which one counts.
 */
import type { Context } from "hono";
import type { ClientCredentials } from "../../federation/oauth/clients.ts";
import type { AppEnv } from "../app-env.ts";

/** Parameters of {@link clientCredentialsOf}. */
export interface ClientCredentialsOfParams {
  readonly c: Context<AppEnv>;
  readonly fields: Readonly<Record<string, string | undefined>>;
}

/** The credentials, null when none were sent, or why they are malformed. */
export type ClientCredentialsOfResult =
  | { readonly ok: true; readonly credentials: ClientCredentials | null }
  | { readonly ok: false; readonly message: string };

/** Reads the client's credentials from the Authorization header or the body. */
export function clientCredentialsOf(params: ClientCredentialsOfParams): ClientCredentialsOfResult {
  const { c, fields } = params;
  const header = c.req.header("authorization");
  const basic = header === undefined ? null : /^Basic[ ]+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  const inBody = fields.client_id !== undefined || fields.client_secret !== undefined;
  if (basic !== null) {
    if (inBody && fields.client_secret !== undefined) return { ok: false, message: "use either HTTP Basic or client_secret in the body, not both" };
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon === -1) return { ok: false, message: "the Basic credentials are malformed" };
    const clientId = formDecode(decoded.slice(0, colon));
    if (fields.client_id !== undefined && fields.client_id !== clientId) return { ok: false, message: "client_id does not match the Basic credentials" };
    return { ok: true, credentials: { clientId, clientSecret: formDecode(decoded.slice(colon + 1)) } };
  }
  if (!inBody) return { ok: true, credentials: null };
  const secret = fields.client_secret;
  return {
    ok: true,
    credentials: { clientId: fields.client_id ?? "", clientSecret: secret === undefined || secret === "" ? null : secret },
  };
}

function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}
