import assert from "node:assert/strict";
import { test } from "node:test";
import { createAccountTestContexts } from "../accounts/accounts.test-support.ts";
import { findLiveToken } from "../accounts/tokens.ts";
import { createUser } from "../accounts/users.ts";
import { checkAuthorizationRequest, issueAuthorizationCode } from "./authorization.ts";
import { registerClient } from "./clients.ts";
import { introspectToken } from "./introspection.ts";
import { s256Challenge } from "./pkce.ts";
import { registerDynamicClient, registerMastodonApp } from "./registration.ts";
import { revokeClientToken } from "./revocation.ts";
import { exchangeToken } from "./token-endpoint.ts";

const VERIFIER = "a-verifier-that-is-long-enough-to-be-valid-0123456789";
const REDIRECT = "https://app.example/callback";

async function setUp(config = {}) {
  const contexts = await createAccountTestContexts({ config });
  const user = await createUser(contexts.ac, { username: "alice", password: "open sesame" });
  assert.ok(user.ok);
  const registered = await registerClient(contexts.ac, {
    name: "Phone app",
    redirectUris: [REDIRECT],
    scopes: ["read", "write", "follow"],
    grantTypes: ["authorization_code", "refresh_token"],
    confidential: false,
  });
  assert.ok(registered.ok);
  return { ...contexts, user: user.user, client: registered.client };
}

async function authorize(setup: Awaited<ReturnType<typeof setUp>>, scope = "read write:outbox") {
  const checked = await checkAuthorizationRequest(setup.ac, {
    params: {
      response_type: "code",
      client_id: setup.client.clientId,
      redirect_uri: REDIRECT,
      scope,
      state: "xyz",
      code_challenge: s256Challenge({ verifier: VERIFIER }),
      code_challenge_method: "S256",
    },
  });
  assert.ok(checked.ok, JSON.stringify(checked));
  const issued = await issueAuthorizationCode(setup.ac, { request: checked.request, user: setup.user });
  assert.ok(issued.ok);
  const location = new URL(issued.location ?? "");
  assert.equal(location.origin + location.pathname, REDIRECT);
  assert.equal(location.searchParams.get("state"), "xyz");
  assert.equal(location.searchParams.get("code"), issued.code);
  return issued.code;
}

test("code + PKCE gives tokens; the refresh token rotates; a replayed one revokes the family", async () => {
  const setup = await setUp();
  try {
    const { ac, client } = setup;
    const credentials = { clientId: client.clientId, clientSecret: null };
    const code = await authorize(setup);
    const exchanged = await exchangeToken(ac, {
      params: { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: VERIFIER },
      credentials,
      address: "10.0.0.1",
    });
    assert.ok(exchanged.ok, JSON.stringify(exchanged));
    assert.equal(exchanged.response.scope, "read write:outbox");
    assert.equal((await findLiveToken(ac, { token: exchanged.response.access_token, kind: "access" })).ok, true);

    const refreshed = await exchangeToken(ac, {
      params: { grant_type: "refresh_token", refresh_token: exchanged.response.refresh_token },
      credentials,
      address: "10.0.0.1",
    });
    assert.ok(refreshed.ok);
    assert.notEqual(refreshed.response.refresh_token, exchanged.response.refresh_token);

    const replayed = await exchangeToken(ac, {
      params: { grant_type: "refresh_token", refresh_token: exchanged.response.refresh_token },
      credentials,
      address: "10.0.0.1",
    });
    assert.equal(!replayed.ok && replayed.reason, "invalid_grant");
    // Both the new refresh token and the access tokens of the family are dead now.
    assert.equal((await findLiveToken(ac, { token: refreshed.response.access_token, kind: "access" })).ok, false);
    const next = await exchangeToken(ac, {
      params: { grant_type: "refresh_token", refresh_token: refreshed.response.refresh_token },
      credentials,
      address: "10.0.0.1",
    });
    assert.equal(next.ok, false);
  } finally {
    await setup.close();
  }
});

test("a code works once, for its client, with its verifier; a replay revokes what it gave", async () => {
  const setup = await setUp();
  try {
    const { ac, client } = setup;
    const credentials = { clientId: client.clientId, clientSecret: null };
    const code = await authorize(setup);
    const wrongVerifier = await exchangeToken(ac, {
      params: { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: `${VERIFIER}x` },
      credentials,
      address: "a",
    });
    assert.equal(!wrongVerifier.ok && wrongVerifier.reason, "invalid_grant");

    const second = await authorize(setup);
    const first = await exchangeToken(ac, {
      params: { grant_type: "authorization_code", code: second, redirect_uri: REDIRECT, code_verifier: VERIFIER },
      credentials,
      address: "a",
    });
    assert.ok(first.ok);
    const again = await exchangeToken(ac, {
      params: { grant_type: "authorization_code", code: second, redirect_uri: REDIRECT, code_verifier: VERIFIER },
      credentials,
      address: "a",
    });
    assert.equal(!again.ok && again.reason, "invalid_grant");
    assert.equal((await findLiveToken(ac, { token: first.response.access_token, kind: "access" })).ok, false);
  } finally {
    await setup.close();
  }
});

test("public clients must use S256; bad requests are shown, not redirected, until the redirect URI is known", async () => {
  const setup = await setUp();
  try {
    const base = { response_type: "code", client_id: setup.client.clientId, redirect_uri: REDIRECT };
    const noPkce = await checkAuthorizationRequest(setup.ac, { params: base });
    assert.equal(!noPkce.ok && noPkce.redirect && new URL(noPkce.location).searchParams.get("error"), "invalid_request");
    const plain = await checkAuthorizationRequest(setup.ac, { params: { ...base, code_challenge: VERIFIER, code_challenge_method: "plain" } });
    assert.equal(!plain.ok && plain.message.includes("S256"), true);
    const evil = await checkAuthorizationRequest(setup.ac, { params: { ...base, redirect_uri: "https://evil.example/cb" } });
    assert.equal(!evil.ok && evil.redirect, false);
    const unknown = await checkAuthorizationRequest(setup.ac, { params: { ...base, client_id: "nope" } });
    assert.equal(!unknown.ok && unknown.redirect, false);
    const tooMuch = await checkAuthorizationRequest(setup.ac, {
      params: { ...base, scope: "admin:read", code_challenge: s256Challenge({ verifier: VERIFIER }), code_challenge_method: "S256" },
    });
    assert.equal(!tooMuch.ok && tooMuch.reason, "invalid_scope");
  } finally {
    await setup.close();
  }
});

test("client credentials for confidential clients; the password grant only when enabled", async () => {
  for (const passwordGrant of [false, true]) {
    const setup = await setUp({ passwordGrant });
    try {
      const app = await registerMastodonApp(setup.ac, { input: { client_name: "Tusky-like", redirect_uris: REDIRECT, scopes: "read write" } });
      assert.ok(app.ok);
      const credentials = { clientId: String(app.response.client_id), clientSecret: String(app.response.client_secret) };
      const own = await exchangeToken(setup.ac, { params: { grant_type: "client_credentials" }, credentials, address: "a" });
      assert.ok(own.ok);
      const found = await findLiveToken(setup.ac, { token: own.response.access_token, kind: "access" });
      assert.equal(found.ok && found.user, null);
      const password = await exchangeToken(setup.ac, {
        params: { grant_type: "password", username: "alice", password: "open sesame", scope: "read" },
        credentials,
        address: "a",
      });
      assert.equal(password.ok, passwordGrant);
      if (!password.ok) assert.equal(password.reason, "unsupported_grant_type");
      const publicClient = await exchangeToken(setup.ac, {
        params: { grant_type: "client_credentials" },
        credentials: { clientId: setup.client.clientId, clientSecret: null },
        address: "a",
      });
      assert.equal(!publicClient.ok && publicClient.reason, "unauthorized_client");
    } finally {
      await setup.close();
    }
  }
});

test("guessing client secrets runs into the attempt limit", async () => {
  const setup = await setUp({
    attemptLimits: { perAddress: { maxFailures: 3, windowMs: 60_000 }, perUsername: { maxFailures: 3, windowMs: 60_000 }, maxKeys: 10 },
  });
  try {
    const app = await registerMastodonApp(setup.ac, { input: { client_name: "App", redirect_uris: REDIRECT } });
    assert.ok(app.ok);
    for (let i = 0; i < 3; i++) {
      const guess = await exchangeToken(setup.ac, {
        params: { grant_type: "client_credentials" },
        credentials: { clientId: String(app.response.client_id), clientSecret: `guess-${i}` },
        address: "10.6.6.6",
      });
      assert.equal(!guess.ok && guess.status, 401);
    }
    const limited = await exchangeToken(setup.ac, {
      params: { grant_type: "client_credentials" },
      credentials: { clientId: String(app.response.client_id), clientSecret: String(app.response.client_secret) },
      address: "10.6.6.6",
    });
    assert.equal(!limited.ok && limited.status, 429);
    setup.clock.advance(60_000);
    const later = await exchangeToken(setup.ac, {
      params: { grant_type: "client_credentials" },
      credentials: { clientId: String(app.response.client_id), clientSecret: String(app.response.client_secret) },
      address: "10.6.6.6",
    });
    assert.equal(later.ok, true);
  } finally {
    await setup.close();
  }
});

test("revocation and introspection answer only the token's own client", async () => {
  const setup = await setUp();
  try {
    const { ac, client } = setup;
    const credentials = { clientId: client.clientId, clientSecret: null };
    const code = await authorize(setup);
    const tokens = await exchangeToken(ac, {
      params: { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: VERIFIER },
      credentials,
      address: "a",
    });
    assert.ok(tokens.ok);
    const other = await registerDynamicClient(ac, { metadata: { redirect_uris: [REDIRECT], client_name: "Other" } });
    assert.ok(other.ok);
    const otherClient = await ac.accounts.clients.get(String(other.response.client_id));
    assert.ok(otherClient !== null);
    assert.deepEqual(await introspectToken(ac, { caller: { kind: "client", client: otherClient }, token: tokens.response.access_token }), {
      active: false,
    });
    const described = await introspectToken(ac, { caller: { kind: "admin", user: setup.user }, token: tokens.response.access_token });
    assert.equal(described.active, true);
    assert.equal(described.active && described.username, "alice");

    // Another client cannot revoke it; its own can, and revoking the refresh token ends the family.
    await revokeClientToken(ac, {
      credentials: { clientId: otherClient.clientId, clientSecret: String(other.response.client_secret) },
      token: tokens.response.access_token,
      address: "a",
    });
    assert.equal((await findLiveToken(ac, { token: tokens.response.access_token, kind: "access" })).ok, true);
    assert.deepEqual(await revokeClientToken(ac, { credentials, token: tokens.response.refresh_token, address: "a" }), { ok: true });
    assert.equal((await findLiveToken(ac, { token: tokens.response.access_token, kind: "access" })).ok, false);
    assert.deepEqual(await introspectToken(ac, { caller: { kind: "admin", user: setup.user }, token: tokens.response.access_token }), {
      active: false,
    });
  } finally {
    await setup.close();
  }
});
