import assert from "node:assert/strict";
import { constants, generateKeyPairSync, sign } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { cavageSigningString, parseCavageSignature, signCavage, verifyCavage } from "./http-signature-cavage.ts";
import type { ParsedCavage } from "./http-signature-cavage.ts";
import { parsePrivateKey, parsePublicKey } from "./keys.ts";

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/crypto/${name}`, import.meta.url), "utf8");

function publicKey(file: string): KeyObject {
  const parsed = parsePublicKey(fixture(file));
  assert.ok(parsed.ok);
  return parsed.key;
}

// draft-cavage-http-signatures-12, appendix C: the "Test" key and the example request.
const TEST_KEY = () => publicKey("cavage-test-public.pem");
const URL_C = new URL("https://example.com/foo?param=value&pet=dog");
const HEADERS_C = () =>
  new Headers({
    Host: "example.com",
    Date: "Sun, 05 Jan 2014 21:31:40 GMT",
    "Content-Type": "application/json",
    Digest: "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",
    "Content-Length": "18",
  });
const SIGNATURE_C1 =
  "SjWJWbWN7i0wzBvtPl8rbASWz5xQW6mcJmn+ibttBqtifLN7Sazz6m79cNfwwb8DMJ5cou1s7uEGKKCs+FLEEaDV5lp7q25WqS+lavg7T8hc0GppauB6hbgEKTwblDHYGEtbGmtdHgVCk9SuS13F0hZ8FD0k/5OxEPXe5WozsbM=";
const SIGNATURE_C2 =
  "qdx+H7PHHDZgy4y/Ahn9Tny9V3GP6YgBPyUXMmoxWtLbHpUnXS2mg2+SbrQDMCJypxBLSPQR2aAjn7ndmw2iicw3HMbe8VfEdKFYRqzic+efkb3nndiv/x1xSHDJWeSWkx3ButlYSuBskLu6kd9Fswtemr3lgdDEmn04swr2Os0=";
const SIGNATURE_C3 =
  "vSdrb+dS3EceC9bcwHSo4MlyKS59iFIrhgYkz8+oVLEEzmYZZvRs8rgOp+63LEM3v+MFHB32NfpB2bEKBIvB1q52LaEUHFv120V01IL+TAD48XaERZFukWgHoBTLMhYS2Gb51gWxpeIq8knRmPnYePbF5MOkR0Zkly4zKH7s1dE=";

function parse(header: string): ParsedCavage {
  const parsed = parseCavageSignature(header);
  assert.ok(parsed.ok, parsed.ok ? "" : parsed.message);
  return parsed;
}

function check(header: string, key: KeyObject, headers = HEADERS_C(), method = "POST", url = URL_C) {
  const signature = parse(header);
  const base = cavageSigningString({ method, url, headers, signature });
  assert.ok(base.ok, base.ok ? "" : base.message);
  return verifyCavage({ signature, data: base.data, publicKey: key });
}

test("the draft's appendix C signatures verify", () => {
  const vectors = [
    `keyId="Test",algorithm="rsa-sha256",signature="${SIGNATURE_C1}"`,
    `Signature keyId="Test",algorithm="rsa-sha256",headers="(request-target) host date", signature="${SIGNATURE_C2}"`,
    `keyId="Test",algorithm="rsa-sha256",headers="(request-target) host date content-type digest content-length",signature="${SIGNATURE_C3}"`,
  ];
  for (const header of vectors) {
    assert.deepEqual(check(header, TEST_KEY()), { ok: true }, header.slice(0, 80));
  }
});

test("the C.1 signing string covers only the date", () => {
  const signature = parse(`keyId="Test",algorithm="rsa-sha256",signature="${SIGNATURE_C1}"`);
  assert.deepEqual(signature.headers, ["date"]);
  const base = cavageSigningString({ method: "POST", url: URL_C, headers: HEADERS_C(), signature });
  assert.ok(base.ok);
  assert.equal(base.data.toString(), "date: Sun, 05 Jan 2014 21:31:40 GMT");
});

test("signCavage reproduces the draft's C.2 signature byte for byte", () => {
  const signed = signCavage({
    method: "POST",
    url: "https://example.com/foo?param=value&pet=dog",
    headers: new Headers(),
    keyId: "Test",
    privateKey: fixture("cavage-test-private.pem"),
    now: new Date("2014-01-05T21:31:40Z"),
  });
  assert.equal(signed.get("host"), "example.com");
  assert.equal(signed.get("date"), "Sun, 05 Jan 2014 21:31:40 GMT");
  assert.equal(signed.get("digest"), null);
  assert.equal(
    signed.get("signature"),
    `keyId="Test",algorithm="rsa-sha256",headers="(request-target) host date",signature="${SIGNATURE_C2}"`,
  );
});

test("signCavage with a body adds and signs a Digest, leaving the input headers alone", () => {
  const input = new Headers({ "Content-Type": "application/activity+json" });
  const body = new TextEncoder().encode('{"hello": "world"}');
  const signed = signCavage({
    method: "POST",
    url: new URL("https://example.com/foo?param=value&pet=dog"),
    headers: input,
    body,
    keyId: "Test",
    privateKey: fixture("cavage-test-private.pem"),
    now: new Date("2014-01-05T21:31:40Z"),
  });
  assert.equal(input.has("signature"), false);
  assert.equal(signed.get("content-type"), "application/activity+json");
  assert.equal(signed.get("digest"), "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=");
  const header = signed.get("signature") ?? "";
  assert.match(header, /headers="\(request-target\) host date digest"/);
  assert.deepEqual(check(header, TEST_KEY(), signed), { ok: true });
});

test("signCavage with an Ed25519 key signs hs2019 and verifies", () => {
  const privateKey = parsePrivateKey(fixture("rfc9421-test-key-ed25519-private.pem"));
  assert.ok(privateKey.ok);
  const signed = signCavage({
    method: "GET",
    url: URL_C,
    headers: new Headers(),
    keyId: "https://example.com/actor#ed25519",
    privateKey: privateKey.key,
  });
  const header = signed.get("signature") ?? "";
  assert.match(header, /algorithm="hs2019"/);
  assert.deepEqual(check(header, publicKey("rfc9421-test-key-ed25519-public.pem"), signed, "GET"), { ok: true });
});

test("hs2019 with an RSA key accepts both PKCS#1 v1.5/SHA-256 and RSA-PSS/SHA-512", () => {
  // A 1024-bit key is too short for PSS with SHA-512, so this uses the RFC 9421 2048-bit RSA key.
  const privateKey = parsePrivateKey(fixture("rfc9421-test-key-rsa-private.pem"));
  const rsaKey = publicKey("rfc9421-test-key-rsa-public.pem");
  assert.ok(privateKey.ok);
  const data = Buffer.from("(request-target): post /foo?param=value&pet=dog\nhost: example.com\ndate: Sun, 05 Jan 2014 21:31:40 GMT");
  const pss = sign("sha512", data, { key: privateKey.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 });
  const pkcs1 = sign("sha256", data, privateKey.key);
  for (const signatureBytes of [pkcs1, pss]) {
    const header = `keyId="Test",algorithm="hs2019",headers="(request-target) host date",signature="${signatureBytes.toString("base64")}"`;
    assert.deepEqual(check(header, rsaKey), { ok: true });
  }
  // rsa-sha256 means PKCS#1 v1.5 only.
  const strict = `keyId="Test",algorithm="rsa-sha256",headers="(request-target) host date",signature="${pss.toString("base64")}"`;
  const result = check(strict, rsaKey);
  assert.ok(!result.ok);
  assert.equal(result.reason, "invalidSignature");
});

test("a signature over altered headers does not verify", () => {
  const headers = HEADERS_C();
  headers.set("date", "Sun, 05 Jan 2014 21:31:41 GMT");
  const result = check(`keyId="Test",algorithm="rsa-sha256",signature="${SIGNATURE_C1}"`, TEST_KEY(), headers);
  assert.deepEqual(result, { ok: false, reason: "invalidSignature", message: "Signature does not verify with key Test" });
});

test("rsa-sha256 cannot be checked with an Ed25519 key", () => {
  const result = check(
    `keyId="Test",algorithm="rsa-sha256",signature="${SIGNATURE_C1}"`,
    publicKey("rfc9421-test-key-ed25519-public.pem"),
  );
  assert.ok(!result.ok);
  assert.equal(result.reason, "invalidSignature");
  assert.match(result.message, /ed25519 key/);
});

test("an unknown algorithm is reported as unsupported", () => {
  const result = check(`keyId="Test",algorithm="hmac-sha256",signature="${SIGNATURE_C1}"`, TEST_KEY());
  assert.ok(!result.ok);
  assert.equal(result.reason, "unsupportedAlgorithm");
  assert.match(result.message, /hmac-sha256/);
});

test("parseCavageSignature reads every parameter", () => {
  const parsed = parse(
    `keyId="https://a.example/u#k", algorithm="HS2019", created=1402170695, expires=1402170699.5, headers="(request-target) (created) (expires) Host", signature="${SIGNATURE_C1}"`,
  );
  assert.equal(parsed.keyId, "https://a.example/u#k");
  assert.equal(parsed.algorithm, "hs2019");
  assert.equal(parsed.created, 1402170695);
  assert.equal(parsed.expires, 1402170699.5);
  assert.deepEqual(parsed.headers, ["(request-target)", "(created)", "(expires)", "host"]);
  assert.equal(Buffer.from(parsed.signature).toString("base64"), SIGNATURE_C1);
});

test("parseCavageSignature rejects malformed headers", () => {
  const cases: ReadonlyArray<readonly [string, RegExp]> = [
    [`algorithm="rsa-sha256",signature="${SIGNATURE_C1}"`, /keyId parameter is missing/],
    [`keyId="Test",algorithm="rsa-sha256"`, /signature parameter is missing/],
    [`keyId="Test",signature="not base64!"`, /not base64/],
    [`keyId="Test",keyId="Other",signature="${SIGNATURE_C1}"`, /appears twice/],
    [`keyId="Test,signature="${SIGNATURE_C1}`, /unterminated|malformed/],
    [`keyId="Test",headers="",signature="${SIGNATURE_C1}"`, /headers parameter is empty/],
    [`keyId="Test",created=yesterday,signature="${SIGNATURE_C1}"`, /created parameter/],
    [`keyId`, /has no value/],
    [`"keyId"="Test"`, /unexpected/],
  ];
  for (const [header, message] of cases) {
    const parsed = parseCavageSignature(header);
    assert.ok(!parsed.ok, header);
    assert.equal(parsed.reason, "malformedSignature");
    assert.match(parsed.message, message, header);
  }
});

test("the signing string reports covered headers the request lacks", () => {
  const signature = parse(`keyId="Test",headers="(request-target) host date x-missing",signature="${SIGNATURE_C1}"`);
  const base = cavageSigningString({ method: "POST", url: URL_C, headers: HEADERS_C(), signature });
  assert.deepEqual(base, {
    ok: false,
    reason: "missingSignedHeader",
    message: 'Signature covers the "x-missing" header, but the request has no such header',
  });
});

test("the signing string takes the host from the URL when no Host header arrived", () => {
  const headers = HEADERS_C();
  headers.delete("host");
  const header = `keyId="Test",algorithm="rsa-sha256",headers="(request-target) host date",signature="${SIGNATURE_C2}"`;
  assert.deepEqual(check(header, TEST_KEY(), headers), { ok: true });
});

test("(created) and (expires) enter the signing string from the parameters", () => {
  const { privateKey, publicKey: edPublic } = generateKeyPairSync("ed25519");
  const data = Buffer.from("(request-target): get /foo?param=value&pet=dog\n(created): 1402170695\n(expires): 1402170699");
  const signatureText = sign(null, data, privateKey).toString("base64");
  const header = `keyId="k",algorithm="hs2019",created=1402170695,expires=1402170699,headers="(request-target) (created) (expires)",signature="${signatureText}"`;
  assert.deepEqual(check(header, edPublic, HEADERS_C(), "GET"), { ok: true });
  const noCreated = parse(`keyId="k",headers="(created)",signature="${signatureText}"`);
  const base = cavageSigningString({ method: "GET", url: URL_C, headers: HEADERS_C(), signature: noCreated });
  assert.ok(!base.ok);
  assert.equal(base.reason, "malformedSignature");
});
