import assert from "node:assert/strict";
import { test } from "node:test";
import { checkRedirectUris, OUT_OF_BAND_REDIRECT } from "./redirect-uris.ts";

test("https, loopback http, native schemes and out-of-band are accepted", () => {
  const uris = [
    "https://app.example/callback?x=1",
    "http://localhost:4000/cb",
    "http://127.0.0.1/cb",
    "com.example.app:/oauth",
    OUT_OF_BAND_REDIRECT,
  ];
  assert.deepEqual(checkRedirectUris({ uris }), { ok: true, uris });
});

test("script schemes, fragments, remote http and relative URIs are refused", () => {
  for (const uri of [
    "javascript:alert(1)",
    "data:text/html,hi",
    "https://app.example/cb#frag",
    "http://app.example/cb",
    "/callback",
    "https://user:pw@app.example/cb",
  ]) {
    assert.equal(checkRedirectUris({ uris: [uri] }).ok, false, uri);
  }
  assert.equal(checkRedirectUris({ uris: [] }).ok, false);
  assert.equal(checkRedirectUris({ uris: Array.from({ length: 11 }, (_, i) => `https://a.example/${i}`) }).ok, false);
});
