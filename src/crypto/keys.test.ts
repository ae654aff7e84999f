import assert from "node:assert/strict";
import { generateKeyPairSync, sign, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  generateRsaKeyPair,
  generateRsaKeyPairsAhead,
  keyPairsGeneratedAhead,
  parsePrivateKey,
  parsePublicKey,
  publicKeyPemFromPrivate,
  toPrivateKeyObject,
} from "./keys.ts";

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/crypto/${name}`, import.meta.url), "utf8");

test("generateRsaKeyPair yields a 2048-bit SPKI/PKCS#8 pair that signs and verifies", async () => {
  const pair = await generateRsaKeyPair();
  assert.match(pair.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n/);
  assert.match(pair.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
  const publicKey = parsePublicKey(pair.publicKeyPem);
  const privateKey = parsePrivateKey(pair.privateKeyPem);
  assert.ok(publicKey.ok && privateKey.ok);
  assert.equal(publicKey.key.asymmetricKeyDetails?.modulusLength, 2048);
  const data = Buffer.from("hello");
  assert.ok(verify("sha256", data, publicKey.key, sign("sha256", data, privateKey.key)));
  assert.equal(publicKeyPemFromPrivate(pair.privateKeyPem), pair.publicKeyPem);
});

test("key pairs begun ahead are handed out once each, then pairs are generated on demand", async () => {
  generateRsaKeyPairsAhead(2);
  assert.equal(keyPairsGeneratedAhead(), 2);
  const first = await generateRsaKeyPair();
  assert.equal(keyPairsGeneratedAhead(), 1);
  const second = await generateRsaKeyPair();
  assert.equal(keyPairsGeneratedAhead(), 0);
  const third = await generateRsaKeyPair();
  const pems = new Set([first, second, third].map((pair) => pair.privateKeyPem));
  assert.equal(pems.size, 3);
  for (const pair of [first, second, third]) assert.equal(publicKeyPemFromPrivate(pair.privateKeyPem), pair.publicKeyPem);
});

test("parsePublicKey accepts the key encodings servers publish", () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ["cavage-test-public.pem", "rsa"], // SPKI "PUBLIC KEY"
    ["rfc9421-test-key-rsa-public.pem", "rsa"], // PKCS#1 "RSA PUBLIC KEY"
    ["rfc9421-test-key-ed25519-public.pem", "ed25519"],
  ];
  for (const [file, type] of cases) {
    const parsed = parsePublicKey(fixture(file));
    assert.ok(parsed.ok, file);
    assert.equal(parsed.key.asymmetricKeyType, type, file);
  }
});

test("parsePrivateKey accepts PKCS#1, PKCS#8 and RSA-PSS PKCS#8", () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ["cavage-test-private.pem", "rsa"],
    ["rfc9421-test-key-rsa-private.pem", "rsa"],
    ["rfc9421-test-key-rsa-pss-private.pem", "rsa-pss"],
    ["rfc9421-test-key-ed25519-private.pem", "ed25519"],
  ];
  for (const [file, type] of cases) {
    const parsed = parsePrivateKey(fixture(file));
    assert.ok(parsed.ok, file);
    assert.equal(parsed.key.asymmetricKeyType, type, file);
  }
});

test("a PEM with surrounding whitespace still parses", () => {
  const parsed = parsePublicKey(`\n  ${fixture("cavage-test-public.pem")}  \n`);
  assert.ok(parsed.ok);
});

test("rejects PEM text that is not a key", () => {
  const cases = [
    "",
    "not a key",
    "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
    fixture("cavage-test-public.pem").replace("MIGfMA0G", "MIGfMA0H"),
  ];
  for (const pem of cases) {
    const parsed = parsePublicKey(pem);
    assert.ok(!parsed.ok, JSON.stringify(pem));
    assert.equal(parsed.reason, "malformed");
    assert.match(parsed.message, /public key/);
  }
  const privateParsed = parsePrivateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----");
  assert.ok(!privateParsed.ok);
  assert.equal(privateParsed.reason, "malformed");
});

test("rejects key types no signature algorithm here can use", () => {
  const { publicKey, privateKey } = generateKeyPairSync("ec", {
    namedCurve: "P-256",
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const parsedPublic = parsePublicKey(publicKey);
  assert.ok(!parsedPublic.ok);
  assert.equal(parsedPublic.reason, "unsupported");
  assert.match(parsedPublic.message, /type ec/);
  const parsedPrivate = parsePrivateKey(privateKey);
  assert.ok(!parsedPrivate.ok);
  assert.equal(parsedPrivate.reason, "unsupported");
});

test("the same PEM yields the same cached KeyObject", () => {
  const pem = fixture("rfc9421-test-key-ed25519-public.pem");
  const first = parsePublicKey(pem);
  const second = parsePublicKey(pem);
  assert.ok(first.ok && second.ok);
  assert.equal(first.key, second.key);
});

test("publicKeyPemFromPrivate derives the published public key", () => {
  assert.equal(publicKeyPemFromPrivate(fixture("cavage-test-private.pem")), fixture("cavage-test-public.pem"));
  assert.equal(
    publicKeyPemFromPrivate(fixture("rfc9421-test-key-ed25519-private.pem")),
    fixture("rfc9421-test-key-ed25519-public.pem"),
  );
  assert.throws(() => publicKeyPemFromPrivate("nope"), /not PEM/);
});

test("toPrivateKeyObject passes KeyObjects through and parses PEM", () => {
  const parsed = parsePrivateKey(fixture("cavage-test-private.pem"));
  assert.ok(parsed.ok);
  assert.equal(toPrivateKeyObject(parsed.key), parsed.key);
  assert.equal(toPrivateKeyObject(fixture("cavage-test-private.pem")), parsed.key);
  assert.throws(() => toPrivateKeyObject("garbage"), TypeError);
});
