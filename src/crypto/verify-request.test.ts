import assert from "node:assert/strict";
import { sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { digestHeader } from "./digest.ts";
import { signRequest, verifyRequest } from "./verify-request.ts";
import type { ResolvedKey, VerifyRequestParameters, VerifyRequestResult } from "./verify-request.ts";

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/crypto/${name}`, import.meta.url), "utf8");

const RSA_PRIVATE = fixture("rfc9421-test-key-rsa-private.pem");
const RSA_PUBLIC = fixture("rfc9421-test-key-rsa-public.pem");
const OTHER_PUBLIC = fixture("cavage-test-public.pem");
const ED_PRIVATE = fixture("rfc9421-test-key-ed25519-private.pem");
const ED_PUBLIC = fixture("rfc9421-test-key-ed25519-public.pem");

const KEY_ID = "https://remote.example/users/alice#main-key";
const OWNER = "https://remote.example/users/alice";
const INBOX = "https://outpost.example/users/bob/inbox";
const NOW = new Date("2025-01-14T10:15:30Z");
const BODY = new TextEncoder().encode('{"type":"Follow","actor":"https://remote.example/users/alice"}');

interface Resolver {
  readonly resolveKey: VerifyRequestParameters["resolveKey"];
  readonly calls: Array<{ keyId: string; refresh: boolean }>;
}

/** A key store answering cached and refreshed lookups from separate tables. */
function resolver(cached: Record<string, string | null>, refreshed: Record<string, string | null> = cached): Resolver {
  const calls: Array<{ keyId: string; refresh: boolean }> = [];
  return {
    calls,
    resolveKey: async (keyId, { refresh }) => {
      calls.push({ keyId, refresh });
      const pem = (refresh ? refreshed : cached)[keyId];
      return pem === undefined || pem === null ? null : ({ publicKeyPem: pem, ownerUri: OWNER } satisfies ResolvedKey);
    },
  };
}

/** Builds a draft-cavage signature by hand, so tests do not depend on the signer under test. */
function handSigned(options: {
  readonly headers: Record<string, string>;
  readonly covered: string;
  readonly method?: string;
  readonly path?: string;
  readonly algorithm?: string;
  readonly privateKeyPem?: string;
}): Headers {
  const headers = new Headers(options.headers);
  const lines = options.covered.split(" ").map((name) =>
    name === "(request-target)"
      ? `(request-target): ${(options.method ?? "post").toLowerCase()} ${options.path ?? "/users/bob/inbox"}`
      : `${name}: ${headers.get(name)}`,
  );
  const signature = sign("sha256", Buffer.from(lines.join("\n")), options.privateKeyPem ?? RSA_PRIVATE).toString("base64");
  headers.set(
    "signature",
    `keyId="${KEY_ID}",algorithm="${options.algorithm ?? "rsa-sha256"}",headers="${options.covered}",signature="${signature}"`,
  );
  return headers;
}

function baseHeaders(body: Uint8Array = BODY): Record<string, string> {
  return {
    Host: "outpost.example",
    Date: NOW.toUTCString(),
    Digest: digestHeader(body),
    "Content-Type": "application/activity+json",
  };
}

async function verifyPost(
  headers: Headers,
  overrides: Partial<VerifyRequestParameters> = {},
): Promise<VerifyRequestResult> {
  return verifyRequest({
    method: "POST",
    url: INBOX,
    headers,
    body: BODY,
    now: NOW,
    resolveKey: resolver({ [KEY_ID]: RSA_PUBLIC }).resolveKey,
    ...overrides,
  });
}

function signed(scheme: "draft-cavage" | "rfc9421", privateKey = RSA_PRIVATE, body: Uint8Array | null = BODY): Headers {
  return signRequest({
    scheme,
    method: body === null ? "GET" : "POST",
    url: INBOX,
    headers: new Headers({ "Content-Type": "application/activity+json" }),
    body,
    keyId: KEY_ID,
    privateKey,
    now: NOW,
  });
}

function assertFailure(result: VerifyRequestResult, reason: string, message?: string | RegExp): void {
  assert.equal(result.ok, false, JSON.stringify(result));
  if (result.ok) return;
  assert.equal(result.reason, reason, result.message);
  if (typeof message === "string") assert.equal(result.message, message);
  else if (message !== undefined) assert.match(result.message, message);
}

test("round trips: what signRequest signs, verifyRequest accepts", async () => {
  const cases = [
    { scheme: "draft-cavage", key: RSA_PRIVATE, pub: RSA_PUBLIC, body: BODY },
    { scheme: "rfc9421", key: RSA_PRIVATE, pub: RSA_PUBLIC, body: BODY },
    { scheme: "draft-cavage", key: ED_PRIVATE, pub: ED_PUBLIC, body: null },
    { scheme: "rfc9421", key: ED_PRIVATE, pub: ED_PUBLIC, body: null },
    { scheme: "rfc9421", key: ED_PRIVATE, pub: ED_PUBLIC, body: BODY },
  ] as const;
  for (const { scheme, key, pub, body } of cases) {
    const result = await verifyRequest({
      method: body === null ? "GET" : "POST",
      url: INBOX,
      headers: signed(scheme, key, body),
      body,
      now: new Date(NOW.getTime() + 30_000),
      resolveKey: resolver({ [KEY_ID]: pub }).resolveKey,
    });
    assert.deepEqual(result, { ok: true, keyId: KEY_ID, ownerUri: OWNER, scheme }, `${scheme} ${body === null ? "GET" : "POST"}`);
  }
});

test("signRequest defaults to draft-cavage", () => {
  const headers = signRequest({ method: "GET", url: INBOX, headers: new Headers(), keyId: KEY_ID, privateKey: RSA_PRIVATE });
  assert.ok(headers.has("signature"));
  assert.equal(headers.has("signature-input"), false);
});

test("a Mastodon inbox delivery verifies", async () => {
  const delivery = JSON.parse(fixture("mastodon-inbox-post.json")) as {
    method: string;
    url: string;
    keyId: string;
    headers: Record<string, string>;
    signedHeaders: string;
    body: string;
  };
  const body = new TextEncoder().encode(delivery.body);
  assert.equal(delivery.headers["Digest"], digestHeader(body));
  const headers = new Headers(delivery.headers);
  const signingString = [
    "(request-target): post /users/bob/inbox",
    `host: ${delivery.headers["Host"]}`,
    `date: ${delivery.headers["Date"]}`,
    `digest: ${delivery.headers["Digest"]}`,
    `content-type: ${delivery.headers["Content-Type"]}`,
  ].join("\n");
  const signature = sign("sha256", Buffer.from(signingString), RSA_PRIVATE).toString("base64");
  headers.set(
    "signature",
    `keyId="${delivery.keyId}",algorithm="rsa-sha256",headers="${delivery.signedHeaders}",signature="${signature}"`,
  );
  const result = await verifyRequest({
    method: delivery.method,
    url: delivery.url,
    headers,
    body,
    now: new Date(Date.parse(delivery.headers["Date"] ?? "") + 2_000),
    resolveKey: resolver({ [delivery.keyId]: RSA_PUBLIC }).resolveKey,
  });
  assert.deepEqual(result, { ok: true, keyId: delivery.keyId, ownerUri: OWNER, scheme: "draft-cavage" });
});

test("the RFC 9421 B.2.6 request verifies end to end", async () => {
  const headers = new Headers({
    Host: "example.com",
    Date: "Tue, 20 Apr 2021 02:07:55 GMT",
    "Content-Type": "application/json",
    "Content-Length": "18",
    "Signature-Input":
      'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
    Signature: "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:",
  });
  const result = await verifyRequest({
    method: "POST",
    url: "https://example.com/foo?param=Value&Pet=dog",
    headers,
    // The vector does not cover the body, so it is checked here as a body-less request.
    body: null,
    now: new Date(1618884473_000),
    resolveKey: resolver({ "test-key-ed25519": ED_PUBLIC }).resolveKey,
  });
  assert.deepEqual(result, { ok: true, keyId: "test-key-ed25519", ownerUri: OWNER, scheme: "rfc9421" });
});

test("a signature in Authorization: Signature is accepted", async () => {
  const headers = signed("draft-cavage");
  headers.set("authorization", `Signature ${headers.get("signature")}`);
  headers.delete("signature");
  assert.equal((await verifyPost(headers)).ok, true);
});

test("noSignature", async () => {
  const result = await verifyPost(new Headers(baseHeaders()));
  assertFailure(result, "noSignature");
  const bearer = await verifyPost(new Headers({ ...baseHeaders(), Authorization: "Bearer abc" }));
  assertFailure(bearer, "noSignature");
});

test("malformedSignature", async () => {
  assertFailure(await verifyPost(new Headers({ ...baseHeaders(), Signature: "garbage" })), "malformedSignature");
  const inputOnly = signed("rfc9421");
  inputOnly.delete("signature");
  assertFailure(await verifyPost(inputOnly), "malformedSignature", /no Signature header/);
  const noKeyId = signed("rfc9421");
  noKeyId.set("signature-input", (noKeyId.get("signature-input") ?? "").replace(/;keyid="[^"]*"/, ""));
  assertFailure(await verifyPost(noKeyId), "malformedSignature", /no keyid/);
});

test("unsupportedAlgorithm", async () => {
  const cavage = handSigned({ headers: baseHeaders(), covered: "(request-target) host date digest", algorithm: "rsa-sha1" });
  assertFailure(await verifyPost(cavage), "unsupportedAlgorithm", /rsa-sha1/);
  const rfc = signed("rfc9421");
  rfc.set("signature-input", (rfc.get("signature-input") ?? "").replace('alg="rsa-v1_5-sha256"', 'alg="hmac-sha256"'));
  assertFailure(await verifyPost(rfc), "unsupportedAlgorithm", /hmac-sha256/);
  const md5 = handSigned({
    headers: { ...baseHeaders(), Digest: "MD5=Sd/dVLAcvNLSq16eXua5uQ==" },
    covered: "(request-target) host date digest",
  });
  assertFailure(await verifyPost(md5), "unsupportedAlgorithm", /MD5|md5/);
});

test("headerNotSigned names the header the signature leaves out", async () => {
  const cases = [
    ["(request-target) host date", 'Signature does not cover the "digest" header'],
    ["host date digest", 'Signature does not cover the "(request-target)" pseudo-header'],
    ["(request-target) date digest", 'Signature does not cover the "host" header'],
    ["(request-target) host digest", 'Signature does not cover the "date" header'],
  ] as const;
  for (const [covered, message] of cases) {
    assertFailure(await verifyPost(handSigned({ headers: baseHeaders(), covered })), "headerNotSigned", message);
  }
});

test("headerNotSigned for RFC 9421 signatures", async () => {
  const cases = [
    ['("@method" "@target-uri")', 'Signature does not cover the "content-digest" header'],
    ['("@target-uri" "content-digest")', 'Signature does not cover the "@method" component'],
    ['("@method" "@authority" "content-digest")', 'Signature does not cover the "@target-uri" component'],
    ['("@method" "@path" "content-digest")', 'Signature does not cover the "@authority" component'],
  ] as const;
  for (const [components, message] of cases) {
    const headers = signed("rfc9421");
    headers.set("signature-input", (headers.get("signature-input") ?? "").replace(/\([^)]*\)/, components));
    assertFailure(await verifyPost(headers), "headerNotSigned", message);
  }
});

test("missingDigest", async () => {
  const cavage = handSigned({ headers: baseHeaders(), covered: "(request-target) host date digest" });
  cavage.delete("digest");
  assertFailure(await verifyPost(cavage), "missingDigest", "Request has a body but no Digest header");
  const rfc = signed("rfc9421");
  rfc.delete("content-digest");
  assertFailure(await verifyPost(rfc), "missingDigest", "Request has a body but no Content-Digest header");
});

test("digestMismatch when the body is not the one that was signed", async () => {
  const tampered = new TextEncoder().encode('{"type":"Delete"}');
  for (const scheme of ["draft-cavage", "rfc9421"] as const) {
    assertFailure(await verifyPost(signed(scheme), { body: tampered }), "digestMismatch", /does not match the request body/);
  }
});

test("dateMissing", async () => {
  const headers = handSigned({ headers: baseHeaders(), covered: "(request-target) host date digest" });
  headers.delete("date");
  assertFailure(await verifyPost(headers), "dateMissing", /no Date header/);
  const unparseable = handSigned({ headers: { ...baseHeaders(), Date: "last Tuesday" }, covered: "(request-target) host date digest" });
  assertFailure(await verifyPost(unparseable), "dateMissing", /not a valid HTTP date/);
  const noCreated = signed("rfc9421");
  noCreated.set("signature-input", (noCreated.get("signature-input") ?? "").replace(/;created=\d+/, ""));
  assertFailure(await verifyPost(noCreated), "dateMissing", "Signature sig1 has no created parameter");
});

test("dateOutOfWindow in the past and in the future", async () => {
  const headers = signed("draft-cavage");
  assertFailure(
    await verifyPost(headers, { now: new Date(NOW.getTime() + 2 * 3600_000) }),
    "dateOutOfWindow",
    "Date header is 2 hours in the past; the accepted window is 1 hour",
  );
  assertFailure(
    await verifyPost(headers, { now: new Date(NOW.getTime() - 10 * 60_000) }),
    "dateOutOfWindow",
    "Date header is 10 minutes in the future; the accepted window is 5 minutes",
  );
  assertFailure(
    await verifyPost(headers, { now: new Date(NOW.getTime() + 90_000), maxPastSeconds: 60 }),
    "dateOutOfWindow",
    "Date header is 90 seconds in the past; the accepted window is 1 minute",
  );
  assertFailure(
    await verifyPost(signed("rfc9421"), { now: new Date(NOW.getTime() + 3 * 3600_000) }),
    "dateOutOfWindow",
    "Signature sig1 created time is 3 hours in the past; the accepted window is 1 hour",
  );
  const expired = signed("rfc9421");
  expired.set("signature-input", `${expired.get("signature-input")};expires=${NOW.getTime() / 1000 + 60}`);
  assertFailure(
    await verifyPost(expired, { now: new Date(NOW.getTime() + 5 * 60_000) }),
    "dateOutOfWindow",
    "Signature sig1 expired 4 minutes ago",
  );
});

test("missingSignedHeader when a covered header is absent", async () => {
  const headers = handSigned({ headers: baseHeaders(), covered: "(request-target) host date digest content-type" });
  headers.delete("content-type");
  assertFailure(
    await verifyPost(headers),
    "missingSignedHeader",
    'Signature covers the "content-type" header, but the request has no such header',
  );
});

test("keyNotFound, with the key id reported", async () => {
  const result = await verifyPost(signed("draft-cavage"), { resolveKey: resolver({}).resolveKey });
  assertFailure(result, "keyNotFound", `Key ${KEY_ID} could not be found`);
  assert.equal(!result.ok && result.keyId, KEY_ID);
});

test("keyMalformed", async () => {
  const result = await verifyPost(signed("draft-cavage"), { resolveKey: resolver({ [KEY_ID]: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----" }).resolveKey });
  assertFailure(result, "keyMalformed", /could not be parsed/);
});

test("invalidSignature when the key does not match, refreshing once without a retry when nothing changed", async () => {
  for (const scheme of ["draft-cavage", "rfc9421"] as const) {
    const keys = resolver({ [KEY_ID]: OTHER_PUBLIC });
    const result = await verifyPost(signed(scheme), { resolveKey: keys.resolveKey });
    assertFailure(result, "invalidSignature", /does not verify with key/);
    assert.deepEqual(keys.calls, [
      { keyId: KEY_ID, refresh: false },
      { keyId: KEY_ID, refresh: true },
    ]);
  }
});

test("key rotation: a stale cached key is refreshed once and the new key accepted", async () => {
  for (const scheme of ["draft-cavage", "rfc9421"] as const) {
    const keys = resolver({ [KEY_ID]: OTHER_PUBLIC }, { [KEY_ID]: RSA_PUBLIC });
    const result = await verifyPost(signed(scheme), { resolveKey: keys.resolveKey });
    assert.deepEqual(result, { ok: true, keyId: KEY_ID, ownerUri: OWNER, scheme });
    assert.equal(keys.calls.filter((call) => call.refresh).length, 1);
    assert.deepEqual(keys.calls[0], { keyId: KEY_ID, refresh: false });
  }
});

test("a valid signature needs no refresh", async () => {
  const keys = resolver({ [KEY_ID]: RSA_PUBLIC });
  assert.equal((await verifyPost(signed("draft-cavage"), { resolveKey: keys.resolveKey })).ok, true);
  assert.deepEqual(keys.calls, [{ keyId: KEY_ID, refresh: false }]);
});

test("with several RFC 9421 signatures the first whose key resolves is used", async () => {
  const headers = signed("rfc9421");
  const input = headers.get("signature-input") ?? "";
  const value = headers.get("signature") ?? "";
  headers.set("signature-input", `${input.replace("sig1=", "unknown=").replace(KEY_ID, "https://gone.example/key")}, ${input}`);
  headers.set("signature", `unknown=:AAAA:, ${value}`);
  const keys = resolver({ [KEY_ID]: RSA_PUBLIC });
  const result = await verifyPost(headers, { resolveKey: keys.resolveKey });
  assert.deepEqual(result, { ok: true, keyId: KEY_ID, ownerUri: OWNER, scheme: "rfc9421" });
  assert.deepEqual(keys.calls.map((call) => call.keyId), ["https://gone.example/key", KEY_ID]);
});

test("RFC 9421 is preferred when a request carries both formats", async () => {
  const headers = signed("rfc9421");
  const cavage = signed("draft-cavage");
  headers.set("authorization", `Signature ${cavage.get("signature")}`);
  for (const name of ["digest", "date", "host"]) headers.set(name, cavage.get(name) ?? "");
  const result = await verifyPost(headers);
  assert.deepEqual(result, { ok: true, keyId: KEY_ID, ownerUri: OWNER, scheme: "rfc9421" });
});
