import assert from "node:assert/strict";
import { test } from "node:test";
import { contentDigestHeader, digestHeader, verifyContentDigestHeader, verifyDigestHeader } from "./digest.ts";
import type { DigestCheck } from "./digest.ts";

// The request body of draft-cavage appendix C and RFC 9421 appendix B.2.
const BODY = '{"hello": "world"}';
const SHA256 = "X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=";
const SHA512 = "WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==";

test("builds the digest values the specifications document", () => {
  assert.equal(digestHeader(BODY), `SHA-256=${SHA256}`);
  assert.equal(digestHeader(new TextEncoder().encode(BODY)), `SHA-256=${SHA256}`);
  assert.equal(contentDigestHeader(BODY), `sha-256=:${SHA256}:`);
});

function outcome(check: DigestCheck): string {
  return check.ok ? "ok" : check.reason;
}

test("verifyDigestHeader", () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    [`SHA-256=${SHA256}`, "ok"],
    [`sha-256=${SHA256}`, "ok"],
    [`SHA-512=${SHA512}`, "ok"],
    [`SHA-256=${SHA256},SHA-512=${SHA512}`, "ok"],
    [`MD5=Sd/dVLAcvNLSq16eXua5uQ==, SHA-256=${SHA256}`, "ok"],
    [`SHA-256=${SHA512}`, "mismatch"],
    [`SHA-256=${SHA256},SHA-512=${SHA256}`, "mismatch"],
    ["SHA-256=", "malformed"],
    ["SHA-256=not*base64", "malformed"],
    ["garbage", "malformed"],
    ["", "malformed"],
    ["MD5=Sd/dVLAcvNLSq16eXua5uQ==", "unsupportedAlgorithm"],
  ];
  for (const [header, expected] of cases) {
    assert.equal(outcome(verifyDigestHeader(header, BODY)), expected, header);
  }
});

test("verifyContentDigestHeader", () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    [`sha-256=:${SHA256}:`, "ok"],
    [`sha-512=:${SHA512}:`, "ok"],
    [`sha-256=:${SHA256}:, sha-512=:${SHA512}:`, "ok"],
    [`md5=:Sd/dVLAcvNLSq16eXua5uQ==:, sha-256=:${SHA256}:`, "ok"],
    [`sha-256=:${SHA512}:`, "mismatch"],
    [`sha-256=${SHA256}`, "malformed"],
    [`sha-256="${SHA256}"`, "malformed"],
    [`SHA-256=:${SHA256}:`, "malformed"],
    ["", "malformed"],
    ["md5=:Sd/dVLAcvNLSq16eXua5uQ==:", "unsupportedAlgorithm"],
  ];
  for (const [header, expected] of cases) {
    assert.equal(outcome(verifyContentDigestHeader(header, BODY)), expected, header);
  }
});

test("failure messages name the algorithm involved", () => {
  const mismatch = verifyDigestHeader(`SHA-256=${SHA512}`, BODY);
  assert.ok(!mismatch.ok);
  assert.match(mismatch.message, /sha-256/);
  const unsupported = verifyContentDigestHeader("md5=:Sd/dVLAcvNLSq16eXua5uQ==:", BODY);
  assert.ok(!unsupported.ok);
  assert.match(unsupported.message, /md5/);
});
