import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { s256Challenge } from "../../federation/oauth/pkce.ts";
import {
  bearer,
  createClientApiTestServer,
  ORIGIN,
  postToOutbox,
  userWithToken,
  type ClientApiTestServer,
} from "../c2s/client-api.test-support.ts";

const REDIRECT = "https://app.example/callback";
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-some-more";

function form(fields: Record<string, string>): { headers: Record<string, string>; body: string } {
  return { headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() };
}

async function registerPublicClient(server: ClientApiTestServer, name = "Pocket client"): Promise<string> {
  const response = await server.request("/oauth/register", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: name, redirect_uris: [REDIRECT], token_endpoint_auth_method: "none", scope: "read write follow" }),
  });
  assert.equal(response.status, 201);
  const registered = (await response.json()) as Record<string, unknown>;
  assert.equal(registered.client_secret, undefined);
  return String(registered.client_id);
}

/** The form page of an authorization request: its hidden CSRF token and the cookie that goes with it. */
async function openForm(server: ClientApiTestServer, query: Record<string, string>) {
  const response = await server.request(`/oauth/authorize?${new URLSearchParams(query)}`);
  const html = await response.text();
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return { response, html, csrf, cookie };
}

function authorizationQuery(clientId: string): Record<string, string> {
  return {
    response_type: "code",
    client_id: clientId,
    redirect_uri: REDIRECT,
    scope: "read write",
    state: "s-123",
    code_challenge: s256Challenge({ verifier: VERIFIER }),
    code_challenge_method: "S256",
  };
}

/** Logs in and approves through the HTML form; returns the redirect. */
async function approve(server: ClientApiTestServer, clientId: string, password = "correct horse"): Promise<Response> {
  const query = authorizationQuery(clientId);
  const page = await openForm(server, query);
  assert.equal(page.response.status, 200);
  assert.ok(page.csrf !== undefined);
  const submitted = form({ ...query, csrf_token: page.csrf!, username: "alice", password, decision: "approve" });
  return server.request("/oauth/authorize", { method: "POST", headers: { ...submitted.headers, cookie: page.cookie }, body: submitted.body });
}

async function tokenRequest(server: ClientApiTestServer, fields: Record<string, string>, address?: string): Promise<Response> {
  const request = form(fields);
  return server.request("/oauth/token", { method: "POST", headers: request.headers, body: request.body, ...(address === undefined ? {} : { address }) });
}

describe("OAuth as a client lives it", () => {
  test("register, authorize with PKCE through the pages, exchange, use, refresh, revoke", async () => {
    const server = await createClientApiTestServer();
    try {
      await userWithToken(server, { username: "alice" });
      const clientId = await registerPublicClient(server);

      const page = await openForm(server, authorizationQuery(clientId));
      assert.match(page.html, /Authorize Pocket client/);
      assert.match(page.html, /<code>write<\/code>/);
      assert.equal(page.response.headers.get("x-frame-options"), "DENY");
      assert.match(page.cookie, /^__Host-outpost_csrf=/);
      assert.match(page.response.headers.get("set-cookie") ?? "", /HttpOnly/i);
      assert.match(page.response.headers.get("set-cookie") ?? "", /SameSite=Strict/i);

      const redirect = await approve(server, clientId);
      assert.equal(redirect.status, 302);
      const location = new URL(redirect.headers.get("location") ?? "");
      assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
      assert.equal(location.searchParams.get("state"), "s-123");
      const code = location.searchParams.get("code") ?? "";

      const exchanged = await tokenRequest(server, { grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: VERIFIER });
      assert.equal(exchanged.status, 200);
      assert.equal(exchanged.headers.get("cache-control"), "no-store");
      const tokens = (await exchanged.json()) as { access_token: string; refresh_token: string; scope: string; token_type: string };
      assert.equal(tokens.token_type, "Bearer");
      assert.equal(tokens.scope, "read write");

      const actor = await server.request("/api/actors", {
        method: "POST",
        headers: bearer(tokens.access_token, { "content-type": "application/json" }),
        body: JSON.stringify({ preferred_username: "alice" }),
      });
      assert.equal(actor.status, 201);
      const posted = await postToOutbox(server, { token: tokens.access_token, username: "alice", body: { type: "Note", content: "via OAuth" } });
      assert.equal(posted.status, 201);

      const replayedCode = await tokenRequest(server, { grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: VERIFIER });
      assert.equal(replayedCode.status, 400);
      assert.equal(((await replayedCode.json()) as { error: string }).error, "invalid_grant");
      // The replay revoked what the code gave; authorize again.
      const second = new URL((await approve(server, clientId)).headers.get("location") ?? "").searchParams.get("code") ?? "";
      const fresh = (await (
        await tokenRequest(server, { grant_type: "authorization_code", code: second, redirect_uri: REDIRECT, client_id: clientId, code_verifier: VERIFIER })
      ).json()) as { access_token: string; refresh_token: string };

      const refreshed = await tokenRequest(server, { grant_type: "refresh_token", refresh_token: fresh.refresh_token, client_id: clientId });
      assert.equal(refreshed.status, 200);
      const rotated = (await refreshed.json()) as { access_token: string; refresh_token: string };
      assert.notEqual(rotated.refresh_token, fresh.refresh_token);
      const reused = await tokenRequest(server, { grant_type: "refresh_token", refresh_token: fresh.refresh_token, client_id: clientId });
      assert.equal(reused.status, 400);

      const third = new URL((await approve(server, clientId)).headers.get("location") ?? "").searchParams.get("code") ?? "";
      const last = (await (
        await tokenRequest(server, { grant_type: "authorization_code", code: third, redirect_uri: REDIRECT, client_id: clientId, code_verifier: VERIFIER })
      ).json()) as { access_token: string };
      const revoke = form({ token: last.access_token, client_id: clientId });
      assert.equal((await server.request("/oauth/revoke", { method: "POST", headers: revoke.headers, body: revoke.body })).status, 200);
      const afterRevoke = await server.request("/api/actors", { headers: bearer(last.access_token) });
      assert.equal(afterRevoke.status, 401);
      assert.match(afterRevoke.headers.get("www-authenticate") ?? "", /invalid_token/);
    } finally {
      await server.close();
    }
  });

  test("the form refuses a missing CSRF token, a wrong password and plain PKCE; denying goes back with access_denied", async () => {
    const server = await createClientApiTestServer();
    try {
      await userWithToken(server, { username: "alice" });
      const clientId = await registerPublicClient(server, "<script>alert(1)</script>");
      const query = authorizationQuery(clientId);
      const page = await openForm(server, query);
      assert.doesNotMatch(page.html, /<script>alert/);
      assert.match(page.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);

      const noCookie = form({ ...query, csrf_token: page.csrf!, username: "alice", password: "correct horse", decision: "approve" });
      const forged = await server.request("/oauth/authorize", { method: "POST", headers: noCookie.headers, body: noCookie.body });
      assert.equal(forged.status, 400);
      assert.equal(forged.headers.get("location"), null);

      const wrong = await approve(server, clientId, "incorrect horse");
      assert.equal(wrong.status, 400);
      assert.match(await wrong.text(), /wrong username or password/);

      const denied = form({ ...query, csrf_token: page.csrf!, username: "", password: "", decision: "deny" });
      const deny = await server.request("/oauth/authorize", { method: "POST", headers: { ...denied.headers, cookie: page.cookie }, body: denied.body });
      assert.equal(deny.status, 302);
      assert.equal(new URL(deny.headers.get("location") ?? "").searchParams.get("error"), "access_denied");

      const plain = await openForm(server, { ...query, code_challenge: VERIFIER, code_challenge_method: "plain" });
      assert.equal(plain.response.status, 302);
      assert.equal(new URL(plain.response.headers.get("location") ?? "").searchParams.get("error"), "invalid_request");
      const evil = await openForm(server, { ...query, redirect_uri: "https://evil.example/cb" });
      assert.equal(evil.response.status, 400);
      assert.equal(evil.response.headers.get("location"), null);
    } finally {
      await server.close();
    }
  });

  test("Mastodon-style apps, client credentials, introspection by an admin, and the metadata document", async () => {
    const server = await createClientApiTestServer();
    try {
      const admin = await userWithToken(server, { username: "root", admin: true, scopes: "read admin:read" });
      const app = await server.request("/api/v1/apps", {
        method: "POST",
        ...form({ client_name: "Toot app", redirect_uris: "urn:ietf:wg:oauth:2.0:oob", scopes: "read write", website: "https://toot.example" }),
      });
      assert.equal(app.status, 200);
      const registered = (await app.json()) as { client_id: string; client_secret: string; name: string };
      assert.equal(registered.name, "Toot app");
      const asJson = await server.request("/api/v1/apps", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ client_name: "JSON app", redirect_uris: [REDIRECT, "com.example.app:/cb"], scopes: "read" }),
      });
      assert.deepEqual(((await asJson.json()) as { redirect_uris: string[] }).redirect_uris, [REDIRECT, "com.example.app:/cb"]);
      const multipart = new FormData();
      multipart.set("client_name", "Multipart app");
      multipart.set("redirect_uris", REDIRECT);
      const asMultipart = await server.request("/api/v1/apps", { method: "POST", body: multipart });
      assert.equal(((await asMultipart.json()) as { name: string }).name, "Multipart app");
      const badRedirect = await server.request("/api/v1/apps", { method: "POST", ...form({ client_name: "Bad", redirect_uris: "javascript:alert(1)" }) });
      assert.equal(badRedirect.status, 400);
      const basic = `Basic ${Buffer.from(`${registered.client_id}:${registered.client_secret}`).toString("base64")}`;
      const own = await server.request("/oauth/token", { method: "POST", headers: { authorization: basic, "content-type": "application/json" }, body: JSON.stringify({ grant_type: "client_credentials", scope: "read" }) });
      assert.equal(own.status, 200);
      const appToken = ((await own.json()) as { access_token: string }).access_token;
      // An application's own token acts for no user.
      assert.equal((await server.request("/api/actors", { headers: bearer(appToken) })).status, 403);

      const introspect = (token: string, auth: string) =>
        server.request("/oauth/introspect", { method: "POST", headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" }, body: `token=${token}` });
      const adminAnswer = await introspect(appToken, `Bearer ${admin}`);
      const described = (await adminAnswer.json()) as Record<string, unknown>;

      assert.equal(described.active, true);
      assert.equal(described.client_id, registered.client_id);
      const byClient = await introspect(appToken, basic);
      assert.equal(((await byClient.json()) as { active: boolean }).active, true);
      assert.deepEqual(await (await introspect("opat_nothing-like-a-real-token", basic)).json(), { active: false });
      const user = await userWithToken(server, { username: "alice" });
      assert.equal((await introspect(appToken, `Bearer ${user}`)).status, 403);

      const metadata = await server.request("/.well-known/oauth-authorization-server");
      const document = (await metadata.json()) as Record<string, unknown>;
      assert.equal(document.issuer, ORIGIN);
      assert.equal(document.token_endpoint, `${ORIGIN}/oauth/token`);
      assert.deepEqual(document.code_challenge_methods_supported, ["S256"]);
      assert.ok((document.grant_types_supported as string[]).includes("refresh_token"));
      assert.ok(!(document.grant_types_supported as string[]).includes("password"));
      assert.ok((document.scopes_supported as string[]).includes("write:outbox"));
    } finally {
      await server.close();
    }
  });

  test("the token endpoint answers 429 once an address keeps failing", async () => {
    const server = await createClientApiTestServer({
      config: { attemptLimits: { perAddress: { maxFailures: 5, windowMs: 60_000 }, perUsername: { maxFailures: 5, windowMs: 60_000 }, maxKeys: 100 } },
    });
    try {
      const clientId = await registerPublicClient(server);
      for (let i = 0; i < 5; i++) {
        const guess = await tokenRequest(server, { grant_type: "authorization_code", code: `opac_guess-${i}-aaaaaaaaaaaaaaaa`, client_id: clientId }, "203.0.113.9");
        assert.equal(guess.status, 400);
      }
      const limited = await tokenRequest(server, { grant_type: "authorization_code", code: "opac_one-more-aaaaaaaaaaaaaaaa", client_id: clientId }, "203.0.113.9");
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get("retry-after")) > 0);
      const elsewhere = await tokenRequest(server, { grant_type: "authorization_code", code: "opac_from-elsewhere-aaaaaaaaa", client_id: clientId }, "203.0.113.10");
      assert.equal(elsewhere.status, 400);
    } finally {
      await server.close();
    }
  });

  test("the password grant works only when enabled", async () => {
    for (const passwordGrant of [false, true]) {
      const server = await createClientApiTestServer({ config: { passwordGrant } });
      try {
        await userWithToken(server, { username: "alice" });
        const app = (await (await server.request("/api/v1/apps", { method: "POST", ...form({ client_name: "Old app", redirect_uris: REDIRECT }) })).json()) as {
          client_id: string;
          client_secret: string;
        };
        const response = await tokenRequest(server, {
          grant_type: "password",
          username: "alice",
          password: "correct horse",
          client_id: app.client_id,
          client_secret: app.client_secret,
        });
        assert.equal(response.status, passwordGrant ? 200 : 400);
        if (!passwordGrant) assert.equal(((await response.json()) as { error: string }).error, "unsupported_grant_type");
      } finally {
        await server.close();
      }
    }
  });
});
