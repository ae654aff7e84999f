import assert from "node:assert/strict";
import { test } from "node:test";
import { checkCodeChallenge, s256Challenge, verifyCodeVerifier } from "./pkce.ts";

// The example of RFC 7636 appendix B.
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

test("the S256 challenge of RFC 7636's example", () => {
  assert.equal(s256Challenge({ verifier: VERIFIER }), CHALLENGE);
  assert.deepEqual(verifyCodeVerifier({ verifier: VERIFIER, challenge: CHALLENGE }), { ok: true });
});

test("a wrong, missing or malformed verifier fails", () => {
  const wrong = verifyCodeVerifier({ verifier: `${VERIFIER.slice(0, -1)}Y`, challenge: CHALLENGE });
  assert.equal(!wrong.ok && wrong.reason, "mismatch");
  const missing = verifyCodeVerifier({ verifier: undefined, challenge: CHALLENGE });
  assert.equal(!missing.ok && missing.reason, "missingVerifier");
  const short = verifyCodeVerifier({ verifier: "short", challenge: CHALLENGE });
  assert.equal(!short.ok && short.reason, "malformedVerifier");
});

test("S256 challenges are kept; plain (stated or by default) is refused", () => {
  assert.deepEqual(checkCodeChallenge({ challenge: CHALLENGE, method: "S256" }), {
    ok: true,
    challenge: { value: CHALLENGE, method: "S256" },
  });
  assert.deepEqual(checkCodeChallenge({ challenge: undefined, method: undefined }), { ok: true, challenge: null });
  const plain = checkCodeChallenge({ challenge: VERIFIER, method: "plain" });
  assert.equal(!plain.ok && plain.reason, "plainRefused");
  const defaulted = checkCodeChallenge({ challenge: CHALLENGE, method: undefined });
  assert.equal(!defaulted.ok && defaulted.reason, "plainRefused");
  assert.equal(checkCodeChallenge({ challenge: "not-a-digest", method: "S256" }).ok, false);
  assert.equal(checkCodeChallenge({ challenge: CHALLENGE, method: "S512" }).ok, false);
});
