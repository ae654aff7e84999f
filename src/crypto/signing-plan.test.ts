import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parsePrivateKey } from "./keys.ts";
import { signBytes, signingAlgorithmForKey } from "./signature-algorithms.ts";
import { planRequestSignature, signRequest } from "./verify-request.ts";

const privateKeyPem = readFileSync(new URL("../../test/fixtures/crypto/rfc9421-test-key-rsa-private.pem", import.meta.url), "utf8");

for (const scheme of ["draft-cavage", "rfc9421"] as const) {
  test(`a ${scheme} plan signed elsewhere gives the headers signRequest gives`, () => {
    const parsed = parsePrivateKey(privateKeyPem);
    assert.ok(parsed.ok);
    const request = {
      method: "POST",
      url: "https://remote.example/users/bob/inbox?x=1",
      headers: new Headers({ "content-type": "application/activity+json" }),
      body: new TextEncoder().encode('{"type":"Create"}'),
      keyId: "https://local.test/users/alice#main-key",
      now: new Date("2025-03-01T12:00:00Z"),
      scheme,
    };
    const plan = planRequestSignature({ ...request, algorithm: signingAlgorithmForKey(parsed.key) });
    // RSASSA-PKCS1-v1_5 is deterministic, so both ways must agree to the byte.
    const planned = plan.complete(signBytes({ algorithm: plan.algorithm, key: parsed.key, data: plan.data }));
    const direct = signRequest({ ...request, privateKey: privateKeyPem });
    assert.deepEqual([...planned], [...direct]);
    assert.equal(request.headers.get("signature"), null, "the caller's headers are left alone");
  });
}
