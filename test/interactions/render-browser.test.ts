/**
 * The interactions block in a real browser: headless Chromium loads a page
 * from a loopback server with the block embedded, including a reply (and a
 * replier's profile) written to attack the page. The block must show, follow
 * the reader's colour scheme, and run nothing the reply brought.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { renderInteractions } from "../../src/federation/interactions/render.ts";
import { note, remoteActor } from "../../src/store/contract/fixtures.ts";
import type { InteractionRecord } from "../../src/store/records.ts";
import { createTestContext, type TestContext } from "../support/federation-context.ts";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const BOB = "https://local.test/users/bob";
const TARGET = `${BOB}/objects/01JCJ3T6K8Q8Y7M5N4P3R2S1T0`;
const PAGE_TITLE = "A post with its replies";

/** What a reply from a hostile server may carry, every attack setting `window.pwned` or the title. */
const HOSTILE_CONTENT = [
  "<p>Great post!</p>",
  "<script>window.pwned = 'script'; document.title = 'pwned';</script>",
  `<img src=x onerror="window.pwned = 'img'">`,
  `<a href="javascript:window.pwned='link'">click me</a>`,
  `<svg onload="window.pwned = 'svg'"><circle r="5"/></svg>`,
  "<style>.outpost-interactions { display: none !important; } body { background: red; }</style>",
  `<p style="position:fixed;inset:0;background:red">covering the page</p>`,
  `<iframe src="javascript:parent.pwned='iframe'"></iframe>`,
  `<a href="https://example.com/ok" onmouseover="window.pwned='hover'">a fine link</a>`,
].join("");

function reply(n: number, actorUri: string, content: string): InteractionRecord {
  const uri = `${actorUri}/statuses/${n}`;
  return {
    uri,
    kind: "reply",
    targetUri: TARGET,
    localActorUri: BOB,
    actorUri,
    content,
    published: "2024-11-12T10:00:00.000Z",
    updated: null,
    visibility: "public",
    document: { id: uri, url: `javascript:window.pwned='url${n}'` },
    createdAt: "2024-11-12T10:00:00.000Z",
    deletedAt: null,
  };
}

describe("the interactions block in Chromium", () => {
  let ctx: TestContext;
  let server: Server;
  let origin: string;
  let browser: BrowserContext;
  let page: Page;
  let userDataDir: string;
  let shotsDir: string;
  const dialogs: string[] = [];
  const refusedRequests: string[] = [];

  before(async () => {
    userDataDir = mkdtempSync(join(tmpdir(), "outpost-chromium-"));
    shotsDir = mkdtempSync(join(tmpdir(), "outpost-screenshots-"));
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    ctx = await createTestContext();
    await ctx.store.objects.put(note(TARGET, BOB));
    const carol = remoteActor("carol", { name: "Carol", iconUrl: `${origin}/avatar.svg`, url: "https://remote.example/@carol" });
    const eve = remoteActor("eve", {
      name: `Eve</style><script>window.pwned='name'</script><img src=x onerror="window.pwned='name-img'">`,
      iconUrl: "javascript:window.pwned='avatar'",
      url: "javascript:window.pwned='profile'",
    });
    await ctx.store.actors.put(carol);
    await ctx.store.actors.put(eve);
    await ctx.store.interactions.put(reply(1, carol.uri, "<p>Thanks for writing this.</p>"));
    await ctx.store.interactions.put(reply(2, eve.uri, HOSTILE_CONTENT));
    const block = await renderInteractions(ctx, { targetUrl: TARGET });

    server.on("request", (request, response) => {
      if (request.url === "/avatar.svg") {
        response.writeHead(200, { "content-type": "image/svg+xml" });
        response.end('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#7b61ff"/></svg>');
        return;
      }
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${PAGE_TITLE}</title></head>` +
          `<body><main><article><h1>A post</h1><p>Its text.</p></article>${block}</main></body></html>`,
      );
    });

    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
      headless: true,
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    // Nothing leaves loopback, whatever the page asks for.
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(origin)) return route.continue();
      refusedRequests.push(url);
      return route.abort();
    });
    await page.goto(`${origin}/post`);
  });

  after(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await ctx?.store.close();
    rmSync(userDataDir, { recursive: true, force: true });
  });

  it("shows the block with both replies and the counts", async () => {
    const block = page.locator("section.outpost-interactions");
    assert.equal(await block.isVisible(), true);
    assert.equal(await page.getByRole("heading", { name: "Reactions from the fediverse" }).isVisible(), true);
    assert.equal(await block.locator("li.outpost-interactions__reply").count(), 2);
    assert.equal(await page.getByText("Thanks for writing this.").isVisible(), true);
    assert.equal(await page.getByText("Great post!").isVisible(), true);
    assert.equal(await page.getByRole("img", { name: "Avatar of Carol" }).isVisible(), true);
    assert.equal(await block.locator('[aria-label="2 replies"]').count(), 1);
  });

  it("runs nothing a reply or a profile brought", async () => {
    // Give the attacks their chance first: every image has loaded or failed, and the links are hovered and clicked.
    await page.waitForLoadState("load");
    await page.hover("text=a fine link");
    await page.click("text=click me", { noWaitAfter: true }).catch(() => undefined);
    assert.equal(await page.evaluate(() => (window as unknown as { pwned?: unknown }).pwned), undefined);
    assert.equal(await page.title(), PAGE_TITLE);
    assert.deepEqual(dialogs, []);
    const unsafe = await page.evaluate(() => {
      const section = document.querySelector("section.outpost-interactions")!;
      const elements = [...section.querySelectorAll("*")];
      return {
        scripts: section.querySelectorAll("script, iframe, svg, img[src='x']").length,
        handlers: elements.filter((element) => [...element.attributes].some((attribute) => /^on/i.test(attribute.name))).length,
        scriptUrls: elements.filter((element) => /javascript:/i.test(element.getAttribute("href") ?? element.getAttribute("src") ?? "")).length,
        inlineStyles: elements.filter((element) => element.hasAttribute("style")).length,
        styleSheets: section.querySelectorAll("style").length,
      };
    });
    assert.deepEqual(unsafe, { scripts: 0, handlers: 0, scriptUrls: 0, inlineStyles: 0, styleSheets: 1 });
    // The attempt to restyle the page went nowhere.
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), "rgba(0, 0, 0, 0)");
    assert.deepEqual(refusedRequests, []);
  });

  it("follows the reader's colour scheme", async (t) => {
    const colors = async (scheme: "light" | "dark") => {
      await page.emulateMedia({ colorScheme: scheme });
      return page.evaluate(() => {
        const style = getComputedStyle(document.querySelector("section.outpost-interactions")!);
        return { background: style.backgroundColor, color: style.color };
      });
    };
    const light = await colors("light");
    const dark = await colors("dark");
    assert.equal(light.background, "rgb(255, 255, 255)");
    assert.notEqual(dark.background, light.background);
    assert.notEqual(dark.color, light.color);

    const shot = join(shotsDir, "interactions-dark.png");
    await page.locator("section.outpost-interactions").screenshot({ path: shot });
    await page.emulateMedia({ colorScheme: "light" });
    await page.locator("section.outpost-interactions").screenshot({ path: join(shotsDir, "interactions-light.png") });
    assert.ok(statSync(shot).size > 1000);
    t.diagnostic(`screenshots in ${shotsDir}`);
  });
});
