import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createTestContext } from "../../../test/support/federation-context.ts";
import { verifyRequest } from "../../crypto/verify-request.ts";
import { createLocalActor, localActorKey } from "../actors/local-actors.ts";
import { createFakeNetwork } from "../fetch/fake-network.test-support.ts";
import type { SafeFetchResult } from "../fetch/safe-fetch.ts";
import { classifyResponse, deliverActivity } from "./deliver.ts";

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

const now = new Date("2025-03-01T12:00:00Z");
const INBOX = "https://remote.example/inbox";

function answer(status: number, headers: Record<string, string> = {}): SafeFetchResult {
  return { ok: true, status, headers: new Headers(headers), body: new Uint8Array(), url: INBOX };
}

describe("classifyResponse", () => {
  const table: { name: string; response: SafeFetchResult; expected: { ok: boolean; retryable?: boolean; gone?: boolean; retryAfterMs?: number } }[] = [
    { name: "200", response: answer(200), expected: { ok: true } },
    { name: "202", response: answer(202), expected: { ok: true } },
    { name: "204", response: answer(204), expected: { ok: true } },
    { name: "410", response: answer(410), expected: { ok: false, retryable: false, gone: true } },
    { name: "400", response: answer(400), expected: { ok: false, retryable: false, gone: false } },
    { name: "401", response: answer(401), expected: { ok: false, retryable: false, gone: false } },
    { name: "403", response: answer(403), expected: { ok: false, retryable: false, gone: false } },
    { name: "404", response: answer(404), expected: { ok: false, retryable: false, gone: false } },
    { name: "408", response: answer(408), expected: { ok: false, retryable: true, gone: false } },
    { name: "429 with Retry-After seconds", response: answer(429, { "retry-after": "90" }), expected: { ok: false, retryable: true, gone: false, retryAfterMs: 90_000 } },
    { name: "503 with Retry-After date", response: answer(503, { "retry-after": "Sat, 01 Mar 2025 13:00:00 GMT" }), expected: { ok: false, retryable: true, gone: false, retryAfterMs: 3_600_000 } },
    { name: "500", response: answer(500), expected: { ok: false, retryable: true, gone: false } },
    { name: "502", response: answer(502), expected: { ok: false, retryable: true, gone: false } },
    { name: "timeout", response: { ok: false, reason: "timeout", message: "slow" }, expected: { ok: false, retryable: true, gone: false } },
    { name: "network", response: { ok: false, reason: "network", message: "reset" }, expected: { ok: false, retryable: true, gone: false } },
    { name: "dns", response: { ok: false, reason: "dnsFailure", message: "nx" }, expected: { ok: false, retryable: true, gone: false } },
    { name: "blocked address", response: { ok: false, reason: "blockedAddress", message: "private" }, expected: { ok: false, retryable: false, gone: false } },
    { name: "redirect", response: { ok: false, reason: "tooManyRedirects", message: "moved" }, expected: { ok: false, retryable: false, gone: false } },
  ];
  for (const row of table) {
    it(`classifies ${row.name}`, () => {
      const outcome = classifyResponse({ response: row.response, inbox: INBOX, now });
      assert.equal(outcome.ok, row.expected.ok);
      if (outcome.ok) return;
      assert.equal(outcome.retryable, row.expected.retryable);
      assert.equal(outcome.gone, row.expected.gone);
      assert.equal(outcome.retryAfterMs, row.expected.retryAfterMs);
    });
  }
});

describe("deliverActivity", () => {
  it("POSTs the activity signed so that Mastodon-style verification accepts it", async () => {
    const net = createFakeNetwork();
    net.route(INBOX, () => new Response(null, { status: 202 }));
    const ctx = await createTestContext({ fetch: net.fetch });
    closers.push(() => ctx.store.close());
    const created = await createLocalActor(ctx, { username: "alice" });
    assert.ok(created.ok);
    const signer = await localActorKey(ctx, created.actor.uri);
    const body = JSON.stringify({ id: "https://local.test/activities/1", type: "Like" });

    const outcome = await deliverActivity(ctx, { inbox: INBOX, body, signer });
    assert.deepEqual(outcome, { ok: true, status: 202 });

    const request = net.requests[0]!;
    assert.equal(request.method, "POST");
    assert.equal(request.body, body);
    assert.equal(request.headers.get("content-type"), "application/activity+json");
    assert.match(request.headers.get("digest") ?? "", /^SHA-256=/);
    assert.match(request.headers.get("signature") ?? "", /algorithm="rsa-sha256",headers="\(request-target\) host date digest"/);
    const verified = await verifyRequest({
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: new TextEncoder().encode(request.body),
      now: ctx.now(),
      resolveKey: async (keyId) => (keyId === signer.keyId ? { publicKeyPem: signer.publicKeyPem, ownerUri: signer.ownerUri } : null),
    });
    assert.equal(verified.ok && verified.ownerUri, created.actor.uri);
  });

  it("does not follow a redirecting inbox", async () => {
    const net = createFakeNetwork();
    net.route(INBOX, () => new Response(null, { status: 308, headers: { location: "https://elsewhere.example/inbox" } }));
    const ctx = await createTestContext({ fetch: net.fetch });
    closers.push(() => ctx.store.close());
    const created = await createLocalActor(ctx, { username: "alice" });
    assert.ok(created.ok);
    const outcome = await deliverActivity(ctx, { inbox: INBOX, body: "{}", signer: await localActorKey(ctx, created.actor.uri) });
    assert.equal(outcome.ok === false && outcome.retryable, false);
    assert.equal(net.requests.length, 1);
  });

  it("refuses to sign with a key that has no private half", async () => {
    const net = createFakeNetwork();
    const ctx = await createTestContext({ fetch: net.fetch });
    closers.push(() => ctx.store.close());
    const signer = { keyId: "https://remote.example/users/bob#main-key", ownerUri: "https://remote.example/users/bob", publicKeyPem: "x", privateKeyPem: null };
    const outcome = await deliverActivity(ctx, { inbox: INBOX, body: "{}", signer });
    assert.equal(outcome.ok, false);
    assert.equal(net.requests.length, 0);
  });
});
