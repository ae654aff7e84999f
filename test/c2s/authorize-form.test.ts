import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderAuthorizePage } from "../../src/http/oauth/authorize-page.ts";
import { cookieHeaderOf, parseAuthorizeForm, unescapeAttribute } from "./authorize-form.ts";

describe("parseAuthorizeForm", () => {
  it("reads back the hidden fields of the server's consent page, escaped values included", () => {
    const state = `a&b"<c>'d`;
    const html = renderAuthorizePage({
      clientName: "Client <One>",
      clientWebsite: null,
      scopes: ["read", "write"],
      host: "outpost.test",
      csrf: "x".repeat(43),
      fields: { response_type: "code", client_id: "abc", redirect_uri: "http://127.0.0.1:9/callback?x=1&y=2", state },
    });
    const parsed = parseAuthorizeForm({ html, pageUrl: "https://outpost.test/oauth/authorize?client_id=abc" });
    assert.ok(parsed.ok, parsed.ok ? "" : parsed.message);
    assert.equal(parsed.form.action, "https://outpost.test/oauth/authorize");
    assert.deepEqual(parsed.form.hidden, {
      csrf_token: "x".repeat(43),
      response_type: "code",
      client_id: "abc",
      redirect_uri: "http://127.0.0.1:9/callback?x=1&y=2",
      state,
    });
    assert.deepEqual([...parsed.form.visibleNames].sort(), ["decision", "password", "username"]);
  });

  it("refuses a page without a POST form", () => {
    assert.equal(parseAuthorizeForm({ html: "<p>nothing here</p>", pageUrl: "https://x.test/" }).ok, false);
    const get = parseAuthorizeForm({ html: '<form action="/a"><input name="q"></form>', pageUrl: "https://x.test/" });
    assert.equal(get.ok ? "ok" : get.reason, "notPost");
  });

  it("unescapes numeric references too", () => {
    assert.equal(unescapeAttribute("&#39;&#x22;&amp;amp;"), `'"&amp;`);
  });
});

describe("cookieHeaderOf", () => {
  it("sends back each cookie's name and value without its attributes", () => {
    const headers = new Headers();
    headers.append("set-cookie", "outpost_csrf=abc; Max-Age=3600; Path=/; HttpOnly; SameSite=Strict");
    headers.append("set-cookie", "other=1; Path=/");
    assert.equal(cookieHeaderOf({ response: new Response(null, { headers }) }), "outpost_csrf=abc; other=1");
  });
});
