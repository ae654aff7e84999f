/**
 * The library example of the README, run verbatim: the first TypeScript
 * block of its library section is taken from the markdown and executed in a child Node.js as a user
 * would run it, then used over HTTP. If the documented API changes, this
 * fails until the document is brought up to date.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { waitFor } from "../support/wait-for.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("the README's library example", () => {
  let child: ChildProcess;
  let origin: string;
  let output = "";

  before(async () => {
    const readme = await readFile(new URL("README.md", `file://${root}`), "utf8");
    const section = readme.slice(readme.indexOf("## Using Outpost as a library"));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    assert.ok(code !== undefined, "the README's library section has a ts code block");
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    // Run from the package root, so that `outpost` resolves to this package as it would for a user's install.
    child = spawn(process.execPath, ["--input-type=module", "--eval", code], {
      cwd: root,
      env: { ...process.env, ORIGIN: origin, PORT: String(port), DATABASE_URL: ":memory:", OUTPOST_LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk) => (output += String(chunk)));
    child.stderr?.on("data", (chunk) => (output += String(chunk)));
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`the example exited: ${output}`);
        return fetch(`${origin}/.well-known/nodeinfo`).then((response) => response.ok, () => false);
      },
      { timeoutMs: 20_000, message: "the documented server to listen" },
    );
  });
  after(() => {
    child?.kill();
  });

  it("serves the blog actor, found by WebFinger under the prefix", async () => {
    const host = new URL(origin).host;
    const response = await fetch(`${origin}/.well-known/webfinger?resource=${encodeURIComponent(`acct:blog@${host}`)}`);
    assert.equal(response.status, 200);
    const jrd = (await response.json()) as { links: { rel: string; href?: string }[] };
    const self = jrd.links.find((link) => link.rel === "self")?.href;
    assert.equal(self, `${origin}/activitypub/users/blog`);
    const actor = (await (await fetch(self, { headers: { accept: "application/activity+json" } })).json()) as Record<string, any>;
    assert.equal(actor.name, "My blog");
    assert.equal(actor.attachment[0].name, "Website");
  });

  it("publishes a post as an Article served at its permalink, and leaves the page to the site", async () => {
    const created = await fetch(`${origin}/posts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ slug: "hello", title: "Hello", html: "<p>Hi there</p>" }),
    });
    assert.equal(created.status, 201, output);
    const result = (await created.json()) as { ok: boolean; objectUri: string };
    assert.equal(result.objectUri, `${origin}/posts/hello`);

    const article = (await (await fetch(result.objectUri, { headers: { accept: "application/activity+json" } })).json()) as Record<string, unknown>;
    assert.equal(article.type, "Article");
    assert.equal(article.content, "<p>Hi there</p>");
    const page = await (await fetch(result.objectUri, { headers: { accept: "text/html" } })).text();
    assert.match(page, /<link rel="me" href="http:\/\/127\.0\.0\.1:\d+\/@blog">/);
  });
});
