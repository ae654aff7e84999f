import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Hono } from "hono";
import pino from "pino";
import type { AppEnv } from "./app-env.ts";
import { HttpError, renderError } from "./errors.ts";
import { negotiate } from "./negotiation.ts";

function appWith(logged: unknown[]): Hono<AppEnv> {
  const logger = pino({ level: "error" }, { write: (line: string) => logged.push(JSON.parse(line)) });
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("format", "json");
    c.set("jsonAlias", false);
    await next();
  });
  app.get("/page", (c) => {
    if (negotiate(c) === "html") c.set("format", "html");
    throw new HttpError({ status: 404, message: "no <such> page", cause: new Error("db detail") });
  });
  app.get("/bug", () => {
    throw new Error("secret internal detail");
  });
  app.onError((error, c) => renderError({ c, error, logger }));
  return app;
}

describe("renderError", () => {
  it("renders an HttpError as JSON, or as an escaped page for HTML routes", async () => {
    const app = appWith([]);
    const json = await app.request("/page", { headers: { accept: "application/activity+json" } });
    assert.equal(json.status, 404);
    assert.deepEqual(await json.json(), { error: "no <such> page" });
    assert.equal(json.headers.get("vary"), "Accept");

    const html = await app.request("/page", { headers: { accept: "text/html" } });
    assert.equal(html.status, 404);
    assert.match(html.headers.get("content-type") ?? "", /^text\/html/);
    const text = await html.text();
    assert.ok(text.includes("no &lt;such&gt; page"));
    assert.ok(!text.includes("db detail"));
  });

  it("answers unknown errors with a bare 500 and logs them", async () => {
    const logged: unknown[] = [];
    const response = await appWith(logged).request("/bug");
    assert.equal(response.status, 500);
    const body = await response.text();
    assert.deepEqual(JSON.parse(body), { error: "internal error" });
    assert.ok(!body.includes("secret"));
    assert.equal(logged.length, 1);
    assert.ok(JSON.stringify(logged[0]).includes("secret internal detail"));
  });
});
