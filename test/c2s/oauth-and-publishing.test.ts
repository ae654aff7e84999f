/**
 * A client application against a real Outpost over HTTP: it registers
 * itself both ways, gets a token through the consent page with PKCE,
 * refreshes it, creates actors, publishes objects of several types
 * (an upload among them), edits and deletes one, and finally revokes its
 * token. Nothing but the user is made outside HTTP.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startOutpostInstance, type OutpostInstance } from "../support/outpost-instance.ts";
import { createActorViaApi, createUserOn, itemIds, PUBLIC, publish, readJson, uploadMedia } from "./api-client.ts";
import { cookieHeaderOf, parseAuthorizeForm } from "./authorize-form.ts";
import {
  authorizeInBrowser,
  exchangeCode,
  jsonOf,
  newPkce,
  registerMastodonApp,
  registerPublicClient,
  tokenRequest,
  type OAuthClient,
  type TokenSet,
} from "./oauth-client.ts";
import { startRedirectReceiver, type RedirectReceiver } from "./redirect-receiver.ts";
import { enterScratchDirectory, type ScratchDirectory } from "./scratch-directory.ts";

const PASSWORD = "a long and correct password";
const SCOPE = "read write follow";
/** A 1×1 orange PNG. */
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489" +
    "0000000d49444154789c63f8dfc0f01f000680027f104c1be10000000049454e44ae426082",
  "hex",
);

describe("a C2S client against one Outpost over HTTP", () => {
  let scratch: ScratchDirectory;
  let a: OutpostInstance;
  let receiver: RedirectReceiver;
  let publicClient: OAuthClient;
  let tokens: TokenSet;
  /** The tokens before the refresh, to show that the used refresh token is dead. */
  let firstTokens: TokenSet;
  let writer: Record<string, any>;

  before(async () => {
    scratch = await enterScratchDirectory({ name: "c2s-publishing" });
    a = await startOutpostInstance({ name: "c2s-a" });
    receiver = await startRedirectReceiver();
    await createUserOn({ instance: a, username: "writer", password: PASSWORD });
  });
  after(async () => {
    await receiver?.close();
    await a?.close();
    await scratch?.leave();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it("advertises its OAuth endpoints, S256 only", async () => {
    const metadata = await jsonOf(await fetch(`${a.origin}/.well-known/oauth-authorization-server`));
    assert.equal(metadata.status, 200);
    assert.equal(metadata.body.authorization_endpoint, `${a.origin}/oauth/authorize`);
    assert.equal(metadata.body.token_endpoint, `${a.origin}/oauth/token`);
    assert.equal(metadata.body.registration_endpoint, `${a.origin}/oauth/register`);
    assert.deepEqual(metadata.body.code_challenge_methods_supported, ["S256"]);
  });

  it("registers a Mastodon-style app and gets a token through the consent page; a code used twice revokes it", async () => {
    const { client, answer } = await registerMastodonApp({ origin: a.origin, name: "Mastodon-style app", redirectUri: receiver.redirectUri, scopes: SCOPE });
    assert.equal(typeof answer.body.client_secret, "string");
    assert.deepEqual(answer.body.redirect_uris, [receiver.redirectUri]);

    const pkce = newPkce();
    const authorized = await authorizeInBrowser({ client, receiver, username: "writer", password: PASSWORD, scope: SCOPE, pkce });
    assert.ok(authorized.location.startsWith(`${receiver.redirectUri}?`), authorized.location);
    const exchanged = await exchangeCode({ client, code: authorized.code, verifier: pkce.verifier });
    assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body));
    assert.equal(exchanged.body.token_type, "Bearer");
    assert.deepEqual(String(exchanged.body.scope).split(" ").sort(), ["follow", "read", "write"]);
    assert.equal(exchanged.headers.get("cache-control"), "no-store");
    const token = String(exchanged.body.access_token);
    assert.equal((await fetch(`${a.origin}/api/actors`, { headers: bearer(token) })).status, 200);

    const replayed = await exchangeCode({ client, code: authorized.code, verifier: pkce.verifier });
    assert.equal(replayed.status, 400);
    assert.equal(replayed.body.error, "invalid_grant");
    assert.equal((await fetch(`${a.origin}/api/actors`, { headers: bearer(token) })).status, 401, "a replayed code revokes its tokens");
  });

  it("refuses a consent form sent without its cookie, and a wrong password", async () => {
    const { client } = await registerPublicClient({ origin: a.origin, name: "Forgery target", redirectUri: receiver.redirectUri, scope: SCOPE });
    const query = new URLSearchParams({
      response_type: "code",
      client_id: client.clientId,
      redirect_uri: client.redirectUri,
      scope: SCOPE,
      code_challenge: newPkce().challenge,
      code_challenge_method: "S256",
    });
    const pageUrl = `${a.origin}/oauth/authorize?${query}`;
    const redirectsBefore = receiver.received.length;
    const page = await fetch(pageUrl);
    assert.equal(page.headers.get("x-frame-options"), "DENY");
    const parsed = parseAuthorizeForm({ html: await page.text(), pageUrl });
    assert.ok(parsed.ok);
    const submit = (cookie: string | null, password: string) =>
      fetch(parsed.form.action, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie === null ? {} : { cookie }) },
        body: new URLSearchParams({ ...parsed.form.hidden, username: "writer", password, decision: "approve" }),
      });
    const forged = await submit(null, PASSWORD);
    assert.equal(forged.status, 400);
    assert.equal(forged.headers.get("location"), null);
    const wrong = await submit(cookieHeaderOf({ response: page }), "not the password");
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /wrong username or password/);
    assert.equal(receiver.received.length, redirectsBefore, "neither submission sends the browser back to the application");
  });

  it("registers a public client (RFC 7591) that must use S256, and exchanges its code with the verifier", async () => {
    const registered = await registerPublicClient({ origin: a.origin, name: "Public app", redirectUri: receiver.redirectUri, scope: SCOPE });
    publicClient = registered.client;
    assert.equal(registered.answer.body.client_secret, undefined);
    assert.equal(registered.answer.body.token_endpoint_auth_method, "none");

    const plain = await fetch(
      `${a.origin}/oauth/authorize?${new URLSearchParams({
        response_type: "code",
        client_id: publicClient.clientId,
        redirect_uri: publicClient.redirectUri,
        code_challenge: "x".repeat(43),
        code_challenge_method: "plain",
        state: "s1",
      })}`,
      { redirect: "manual" },
    );
    assert.equal(plain.status, 302);
    const refused = new URL(plain.headers.get("location") ?? "");
    assert.equal(refused.searchParams.get("error"), "invalid_request");
    assert.equal(refused.searchParams.get("state"), "s1");

    const stolen = await authorizeInBrowser({ client: publicClient, receiver, username: "writer", password: PASSWORD, scope: SCOPE, pkce: newPkce() });
    const withoutProof = await exchangeCode({ client: publicClient, code: stolen.code, verifier: newPkce().verifier });
    assert.equal(withoutProof.status, 400);
    assert.equal(withoutProof.body.error, "invalid_grant");

    const pkce = newPkce();
    const authorized = await authorizeInBrowser({ client: publicClient, receiver, username: "writer", password: PASSWORD, scope: SCOPE, pkce });
    const exchanged = await exchangeCode({ client: publicClient, code: authorized.code, verifier: pkce.verifier });
    assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body));
    firstTokens = exchanged.body as TokenSet;
    assert.equal(typeof firstTokens.refresh_token, "string");
  });

  it("refreshes the token: a new pair that works", async () => {
    const refreshed = await tokenRequest({
      client: publicClient,
      path: "/oauth/token",
      fields: { grant_type: "refresh_token", refresh_token: firstTokens.refresh_token! },
    });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    tokens = refreshed.body as TokenSet;
    assert.notEqual(tokens.access_token, firstTokens.access_token);
    assert.notEqual(tokens.refresh_token, firstTokens.refresh_token);
    const actors = await jsonOf(await fetch(`${a.origin}/api/actors`, { headers: bearer(tokens.access_token) }));
    assert.equal(actors.status, 200);
    assert.deepEqual(actors.body, []);
  });

  it("creates two actors through the API; their documents name the client endpoints", async () => {
    const created = await createActorViaApi({ origin: a.origin, token: tokens.access_token, username: "writer_main", displayName: "Writer" });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.headers.get("location"), created.body.id);
    writer = created.body;
    const second = await createActorViaApi({ origin: a.origin, token: tokens.access_token, username: "writer_side" });
    assert.equal(second.status, 201);
    assert.equal((await createActorViaApi({ origin: a.origin, token: tokens.access_token, username: "writer_side" })).status, 409);

    const listed = await jsonOf(await fetch(`${a.origin}/api/actors`, { headers: bearer(tokens.access_token) }));
    assert.deepEqual(listed.body.map((actor: Record<string, unknown>) => actor.preferred_username).sort(), ["writer_main", "writer_side"]);
    const document = await readJson({ url: writer.id });
    assert.equal(document.status, 200);
    assert.equal(document.body.outbox, writer.outbox);
    assert.equal(document.body.endpoints.oauthAuthorizationEndpoint, `${a.origin}/oauth/authorize`);
    assert.equal(document.body.endpoints.oauthTokenEndpoint, `${a.origin}/oauth/token`);
    assert.equal(document.body.endpoints.uploadMedia, writer.endpoints.uploadMedia);
  });

  it("publishes a Note, an Article and an Event with a Place, each served whole", async () => {
    const post = (body: Record<string, unknown>) => publish({ outbox: writer.outbox, token: tokens.access_token, body });
    const note = await post({ type: "Note", content: "<p>Hello from a client!</p><script>alert(1)</script>", to: [PUBLIC] });
    assert.equal(note.type, "Create");
    assert.equal(note.actor, writer.id);
    const article = await post({ type: "Article", name: "An essay", summary: "<p>In short</p>", content: "<p>At length.</p>", to: [PUBLIC] });
    const location = { type: "Place", name: "Riverside park", latitude: 52.52, longitude: 13.405, address: "1 River Road" };
    const event = await post({ type: "Event", name: "Picnic", startTime: "2025-06-01T12:00:00Z", endTime: "2025-06-01T16:00:00Z", location, to: [PUBLIC] });

    const served = await readJson({ url: note.object.id });
    assert.equal(served.status, 200);
    assert.equal(served.body.type, "Note");
    assert.equal(served.body.attributedTo, writer.id);
    assert.match(served.body.content, /Hello from a client!/);
    assert.doesNotMatch(served.body.content, /script/, "content is sanitized");
    const essay = await readJson({ url: article.object.id });
    assert.equal(essay.body.type, "Article");
    assert.equal(essay.body.name, "An essay");
    assert.equal(essay.body.summary, "<p>In short</p>");
    const picnic = await readJson({ url: event.object.id });
    assert.equal(picnic.body.type, "Event");
    assert.equal(picnic.body.startTime, "2025-06-01T12:00:00Z");
    assert.equal(picnic.body.endTime, "2025-06-01T16:00:00Z");
    assert.deepEqual(picnic.body.location, location);
    assert.deepEqual(picnic.body.to, [PUBLIC]);

    const outbox = await itemIds({ url: writer.outbox });
    for (const activity of [note, article, event]) assert.ok(outbox.includes(activity.id), `${activity.object.type} in the outbox`);
  });

  it("uploads an image to endpoints.uploadMedia, recognised by its bytes and served back as PNG", async () => {
    const uploaded = await uploadMedia({
      endpoint: writer.endpoints.uploadMedia,
      token: tokens.access_token,
      bytes: PNG,
      filename: "cat.html",
      declaredType: "text/html",
      object: { type: "Image", name: "My cat", to: [PUBLIC] },
    });
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    assert.equal(uploaded.body.mediaType, "image/png");
    const image = await readJson({ url: uploaded.body.id });
    assert.equal(image.status, 200);
    assert.equal(image.body.type, "Image");
    assert.equal(image.body.name, "My cat");
    assert.equal(image.body.mediaType, "image/png");
    assert.equal(image.body.url, uploaded.body.url);

    const file = await fetch(uploaded.body.url);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get("content-type"), "image/png");
    assert.equal(file.headers.get("x-content-type-options"), "nosniff");
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), PNG);

    const page = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    const refused = await uploadMedia({ endpoint: writer.endpoints.uploadMedia, token: tokens.access_token, bytes: page, filename: "cat.png", declaredType: "image/png", object: {} });
    assert.equal(refused.status, 415);
  });

  it("updates a post partially, moving `updated` forward, and deletes another into a 410 Tombstone", async () => {
    const post = (body: Record<string, unknown>) => publish({ outbox: writer.outbox, token: tokens.access_token, body });
    const created = await post({ type: "Event", name: "Concert", startTime: "2025-07-01T19:00:00Z", location: { type: "Place", name: "Hall" }, to: [PUBLIC] });
    const id = String(created.object.id);
    await post({ type: "Update", object: { id, name: "Concert (sold out)" } });
    const first = await readJson({ url: id });
    assert.equal(first.body.name, "Concert (sold out)");
    assert.equal(first.body.startTime, "2025-07-01T19:00:00Z");
    assert.deepEqual(first.body.location, { type: "Place", name: "Hall" });
    assert.ok(Date.parse(first.body.updated) > Date.parse(first.body.published), "updated is after published");
    await post({ type: "Update", object: { id, summary: "Doors at 18:30" } });
    const second = await readJson({ url: id });
    assert.equal(second.body.name, "Concert (sold out)");
    assert.equal(second.body.summary, "Doors at 18:30");
    assert.ok(Date.parse(second.body.updated) > Date.parse(first.body.updated), "a second update moves updated forward");

    const doomed = await post({ type: "Note", content: "<p>short-lived</p>", to: [PUBLIC] });
    await post({ type: "Delete", object: doomed.object.id });
    const gone = await readJson({ url: doomed.object.id });
    assert.equal(gone.status, 410);
    assert.equal(gone.body.type, "Tombstone");
    assert.equal(gone.body.formerType, "Note");
  });

  it("revokes the token: it then gets 401 with an invalid_token challenge; the used refresh token is refused", async () => {
    const revoked = await tokenRequest({ client: publicClient, path: "/oauth/revoke", fields: { token: tokens.access_token } });
    assert.equal(revoked.status, 200);
    const refused = await fetch(`${a.origin}/api/actors`, { headers: bearer(tokens.access_token) });
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get("www-authenticate") ?? "", /^Bearer realm="outpost", error="invalid_token"/);
    const posted = await fetch(writer.outbox, {
      method: "POST",
      headers: { ...bearer(tokens.access_token), "content-type": "application/activity+json" },
      body: JSON.stringify({ type: "Note", content: "too late", to: [PUBLIC] }),
    });
    assert.equal(posted.status, 401);

    const reused = await tokenRequest({ client: publicClient, path: "/oauth/token", fields: { grant_type: "refresh_token", refresh_token: firstTokens.refresh_token! } });
    assert.equal(reused.status, 400);
    assert.equal(reused.body.error, "invalid_grant");
  });
});
