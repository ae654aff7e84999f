import assert from "node:assert/strict";
import { sign } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseRfc9421Signatures, rfc9421SignatureBase, signRfc9421, verifyRfc9421 } from "./http-signature-rfc9421.ts";
import type { ParsedRfc9421Signature } from "./http-signature-rfc9421.ts";
import { parsePrivateKey, parsePublicKey } from "./keys.ts";

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/crypto/${name}`, import.meta.url), "utf8");

function key(file: string, kind: "public" | "private"): KeyObject {
  const parsed = kind === "public" ? parsePublicKey(fixture(file)) : parsePrivateKey(fixture(file));
  assert.ok(parsed.ok);
  return parsed.key;
}

// RFC 9421 appendix B.2: the test-request message.
const REQUEST_URL = new URL("https://example.com/foo?param=Value&Pet=dog");
const CONTENT_DIGEST =
  "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:";
const requestHeaders = () =>
  new Headers({
    Host: "example.com",
    Date: "Tue, 20 Apr 2021 02:07:55 GMT",
    "Content-Type": "application/json",
    "Content-Digest": CONTENT_DIGEST,
    "Content-Length": "18",
  });

const B26_INPUT =
  'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"';
const B26_SIGNATURE =
  "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:";
const B26_BASE = [
  '"date": Tue, 20 Apr 2021 02:07:55 GMT',
  '"@method": POST',
  '"@path": /foo',
  '"@authority": example.com',
  '"content-type": application/json',
  '"content-length": 18',
  '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
].join("\n");

function only(input: string, signature: string): ParsedRfc9421Signature {
  const parsed = parseRfc9421Signatures(input, signature);
  assert.ok(parsed.ok, parsed.ok ? "" : parsed.message);
  const [first] = parsed.signatures;
  assert.ok(first !== undefined);
  return first;
}

function baseOf(signature: ParsedRfc9421Signature, headers = requestHeaders(), url = REQUEST_URL): Buffer {
  const base = rfc9421SignatureBase({ method: "POST", url, headers, components: signature.components });
  assert.ok(base.ok, base.ok ? "" : base.message);
  return base.data;
}

test("B.2.6: the signature base matches the RFC and the documented ed25519 signature verifies", () => {
  const signature = only(B26_INPUT, B26_SIGNATURE);
  assert.equal(signature.label, "sig-b26");
  assert.equal(signature.keyId, "test-key-ed25519");
  assert.equal(signature.created, 1618884473);
  const data = baseOf(signature);
  assert.equal(data.toString(), B26_BASE);
  assert.deepEqual(
    verifyRfc9421({ signature, data, publicKey: key("rfc9421-test-key-ed25519-public.pem", "public") }),
    { ok: true },
  );
  // Ed25519 is deterministic: signing the base again yields the documented bytes.
  const resigned = sign(null, data, key("rfc9421-test-key-ed25519-private.pem", "private"));
  assert.equal(`sig-b26=:${resigned.toString("base64")}:`, B26_SIGNATURE);
});

test("B.2.1 and B.2.3: documented RSA-PSS signatures verify with the key deciding the algorithm", () => {
  const vectors = [
    {
      input: 'sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"',
      signature:
        "sig-b21=:d2pmTvmbncD3xQm8E9ZV2828BjQWGgiwAaw5bAkgibUopemLJcWDy/lkbbHAve4cRAtx31Iq786U7it++wgGxbtRxf8Udx7zFZsckzXaJMkA7ChG52eSkFxykJeNqsrWH5S+oxNFlD4dzVuwe8DhTSja8xxbR/Z2cOGdCbzR72rgFWhzx2VjBqJzsPLMIQKhO4DGezXehhWwE56YCE+O6c0mKZsfxVrogUvA4HELjVKWmAvtl6UnCh8jYzuVG5WSb/QEVPnP5TmcAnLH1g+s++v6d4s8m0gCw1fV5/SITLq9mhho8K3+7EPYTU8IU1bLhdxO5Nyt8C8ssinQ98Xw9Q==:",
    },
    {
      input:
        'sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss"',
      signature:
        "sig-b23=:bbN8oArOxYoyylQQUU6QYwrTuaxLwjAC9fbY2F6SVWvh0yBiMIRGOnMYwZ/5MR6fb0Kh1rIRASVxFkeGt683+qRpRRU5p2voTp768ZrCUb38K0fUxN0O0iC59DzYx8DFll5GmydPxSmme9v6ULbMFkl+V5B1TP/yPViV7KsLNmvKiLJH1pFkh/aYA2HXXZzNBXmIkoQoLd7YfW91kE9o/CCoC1xMy7JA1ipwvKvfrs65ldmlu9bpG6A9BmzhuzF8Eim5f8ui9eH8LZH896+QIF61ka39VBrohr9iyMUJpvRX2Zbhl5ZJzSRxpJyoEZAFL2FUo5fTIztsDZKEgM4cUA==:",
    },
  ];
  const publicKey = key("rfc9421-test-key-rsa-pss-public.pem", "public");
  for (const vector of vectors) {
    const signature = only(vector.input, vector.signature);
    assert.deepEqual(verifyRfc9421({ signature, data: baseOf(signature), publicKey }), { ok: true }, signature.label);
  }
});

test("B.2.3: the @query component keeps the query's case", () => {
  const signature = only('sig=("@query" "@path");created=1;keyid="k"', "sig=:AAAA:");
  assert.equal(
    baseOf(signature).toString(),
    '"@query": ?param=Value&Pet=dog\n"@path": /foo\n"@signature-params": ("@query" "@path");created=1;keyid="k"',
  );
});

test("derived components of a request", () => {
  const url = new URL("https://Example.COM:8443/a%20b/c?x=1");
  const signature = only(
    'sig=("@method" "@target-uri" "@authority" "@scheme" "@request-target" "@path" "@query");created=1;keyid="k"',
    "sig=:AAAA:",
  );
  assert.deepEqual(baseOf(signature, new Headers(), url).toString().split("\n").slice(0, -1), [
    '"@method": POST',
    '"@target-uri": https://example.com:8443/a%20b/c?x=1',
    '"@authority": example.com:8443',
    '"@scheme": https',
    '"@request-target": /a%20b/c?x=1',
    '"@path": /a%20b/c',
    '"@query": ?x=1',
  ]);
});

test("signature bases that cannot be rebuilt say why", () => {
  const cases: ReadonlyArray<readonly [string, string, RegExp]> = [
    ['sig=("x-missing");keyid="k"', "missingSignedHeader", /"x-missing" header/],
    ['sig=("@status");keyid="k"', "malformedSignature", /@status/],
    ['sig=("@method" "@method");keyid="k"', "malformedSignature", /covered twice/],
    ['sig=("content-type";sf);keyid="k"', "malformedSignature", /parameters/],
    ['sig=("Content-Type");keyid="k"', "malformedSignature", /lowercase/],
  ];
  for (const [input, reason, message] of cases) {
    const signature = only(input, "sig=:AAAA:");
    const base = rfc9421SignatureBase({ method: "POST", url: REQUEST_URL, headers: requestHeaders(), components: signature.components });
    assert.ok(!base.ok, input);
    assert.equal(base.reason, reason, input);
    assert.match(base.message, message, input);
  }
});

test("signRfc9421 covers method, target URI, authority and the content digest", () => {
  const privateKey = key("rfc9421-test-key-rsa-private.pem", "private");
  const input = new Headers({ "Content-Type": "application/activity+json" });
  const body = new TextEncoder().encode('{"hello": "world"}');
  const signed = signRfc9421({
    method: "POST",
    url: "https://example.com/users/bob/inbox",
    headers: input,
    body,
    keyId: "https://example.org/actor#main-key",
    privateKey,
    now: new Date(1618884473_000),
  });
  assert.equal(input.has("signature-input"), false);
  assert.equal(signed.get("content-digest"), "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
  assert.equal(
    signed.get("signature-input"),
    'sig1=("@method" "@target-uri" "@authority" "content-digest");created=1618884473;keyid="https://example.org/actor#main-key";alg="rsa-v1_5-sha256"',
  );
  const signature = only(signed.get("signature-input") ?? "", signed.get("signature") ?? "");
  const data = rfc9421SignatureBase({
    method: "POST",
    url: new URL("https://example.com/users/bob/inbox"),
    headers: signed,
    components: signature.components,
  });
  assert.ok(data.ok);
  assert.deepEqual(
    verifyRfc9421({ signature, data: data.data, publicKey: key("rfc9421-test-key-rsa-public.pem", "public") }),
    { ok: true },
  );
});

test("signRfc9421 without a body and with an Ed25519 key and custom label", () => {
  const signed = signRfc9421({
    method: "GET",
    url: REQUEST_URL,
    headers: new Headers(),
    keyId: "test-key-ed25519",
    privateKey: fixture("rfc9421-test-key-ed25519-private.pem"),
    now: new Date(1618884473_000),
    label: "fedi",
  });
  assert.equal(signed.has("content-digest"), false);
  assert.equal(
    signed.get("signature-input"),
    'fedi=("@method" "@target-uri" "@authority");created=1618884473;keyid="test-key-ed25519";alg="ed25519"',
  );
  assert.match(signed.get("signature") ?? "", /^fedi=:[A-Za-z0-9+/]{86}==:$/);
  assert.throws(
    () => signRfc9421({ method: "GET", url: REQUEST_URL, headers: new Headers(), keyId: "k", privateKey: fixture("rfc9421-test-key-ed25519-private.pem"), label: "Bad Label" }),
    TypeError,
  );
});

test("verifyRfc9421 rejects tampering, unknown algorithms and mismatched keys", () => {
  const signature = only(B26_INPUT, B26_SIGNATURE);
  const edKey = key("rfc9421-test-key-ed25519-public.pem", "public");
  const tampered = requestHeaders();
  tampered.set("content-length", "19");
  const invalid = verifyRfc9421({ signature, data: baseOf(signature, tampered), publicKey: edKey });
  assert.ok(!invalid.ok);
  assert.equal(invalid.reason, "invalidSignature");

  const hmac = only(B26_INPUT.replace(';keyid=', ';alg="hmac-sha256";keyid='), B26_SIGNATURE);
  const unsupported = verifyRfc9421({ signature: hmac, data: baseOf(hmac), publicKey: edKey });
  assert.ok(!unsupported.ok);
  assert.equal(unsupported.reason, "unsupportedAlgorithm");

  const claimsRsa = only(B26_INPUT + ';alg="rsa-v1_5-sha256"', B26_SIGNATURE);
  const mismatch = verifyRfc9421({ signature: claimsRsa, data: baseOf(claimsRsa), publicKey: edKey });
  assert.ok(!mismatch.ok);
  assert.equal(mismatch.reason, "invalidSignature");
  assert.match(mismatch.message, /ed25519 key/);
});

test("parseRfc9421Signatures reads several signatures in order", () => {
  const parsed = parseRfc9421Signatures(
    'a=("@method");created=1;keyid="one", b=("@method");created=2;keyid="two";expires=3;alg="ed25519"',
    "b=:AAAA:, a=:AQID:",
  );
  assert.ok(parsed.ok);
  assert.deepEqual(
    parsed.signatures.map((s) => [s.label, s.keyId, s.created, s.expires, s.algorithm, [...s.signature]]),
    [
      ["a", "one", 1, null, null, [1, 2, 3]],
      ["b", "two", 2, 3, "ed25519", [0, 0, 0]],
    ],
  );
});

test("parseRfc9421Signatures rejects malformed fields", () => {
  const cases: ReadonlyArray<readonly [string, string, RegExp]> = [
    ["sig1=(", "sig1=:AAAA:", /Signature-Input header is malformed/],
    ['sig1=("@method")', "sig1=:AAAA", /Signature header is malformed/],
    ['sig1=("@method")', "sig2=:AAAA:", /no sig1 entry/],
    ["sig1=:AAAA:", "sig1=:AAAA:", /not a list of components/],
    ['sig1=("@method")', 'sig1="AAAA"', /not a byte sequence/],
    ["sig1=(method)", "sig1=:AAAA:", /not a string/],
    ["sig1=(@method)", "sig1=:AAAA:", /Signature-Input header is malformed/],
    ['sig1=("@method");created="yesterday"', "sig1=:AAAA:", /invalid created/],
    ['sig1=("@method");keyid=token', "sig1=:AAAA:", /invalid keyid/],
    ["", "", /empty/],
  ];
  for (const [input, signature, message] of cases) {
    const parsed = parseRfc9421Signatures(input, signature);
    assert.ok(!parsed.ok, input);
    assert.equal(parsed.reason, "malformedSignature");
    assert.match(parsed.message, message, input);
  }
});
