/**
 * The bundle of Outpost's own modules that `npm run build` writes and
 * bin/outpost.js runs: it is taken only while every file it was built from is
 * unchanged, and inside it each module still knows its source file's URL, so
 * worker threads start from the sources beside their callers.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { freshBundleEntries } from "../bin/outpost-bundle.js";
import { bundleOutpost } from "../scripts/bundle-outpost.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);

/** Prints, on stderr, every module the main thread loads. */
const LOAD_LOGGER =
  "data:text/javascript," +
  encodeURIComponent(
    `import { registerHooks } from "node:module";
     registerHooks({ load(url, context, next) { process.stderr.write("loaded " + url + "\\n"); return next(url, context); } });`,
  );

describe("the bundle outpost runs", () => {
  it("is what bin/outpost.js loads after a build, instead of the TypeScript sources", async () => {
    const entries = freshBundleEntries(new URL("../dist/bundled/outpost/", import.meta.url), new URL("../", import.meta.url));
    assert.ok(entries !== undefined, "dist/bundled/outpost is missing or older than the sources; `npm run build` writes it");
    const { stdout, stderr } = await run(process.execPath, ["--import", LOAD_LOGGER, join(ROOT, "bin/outpost.js"), "--help"], {
      cwd: ROOT,
      env: { ...process.env, OUTPOST_NO_BUNDLES: "" },
    });
    assert.match(stdout, /^Usage: outpost/m);
    const loaded = stderr.split("\n").filter((line) => line.startsWith("loaded ")).map((line) => line.slice("loaded ".length));
    assert.ok(loaded.includes(entries.get("main")!), `the bundle's main module was not loaded:\n${loaded.join("\n")}`);
    const sources = loaded.filter((url) => url.startsWith(pathToFileURL(join(ROOT, "src")).href));
    assert.deepEqual(sources, [], "sources were loaded beside the bundle");
  });

  it("is left for the sources when OUTPOST_NO_BUNDLES=1", async () => {
    const { stderr } = await run(process.execPath, ["--import", LOAD_LOGGER, join(ROOT, "bin/outpost.js"), "--help"], {
      cwd: ROOT,
      env: { ...process.env, OUTPOST_NO_BUNDLES: "1" },
    });
    assert.match(stderr, /loaded file:\/\/\S+\/src\/cli\/main\.ts/);
    assert.doesNotMatch(stderr, /dist\/bundled\/outpost\//);
  });
});

describe("bundling and its freshness check", () => {
  let root: string;
  const bundleDir = () => pathToFileURL(join(root, "out") + "/");
  const rootUrl = () => pathToFileURL(root + "/");

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), "outpost-own-bundle-"));
    mkdirSync(join(root, "src", "threads"), { recursive: true });
    writeFileSync(join(root, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(join(root, "src", "greeting.ts"), `export const greeting: string = "hello";\n`);
    writeFileSync(
      join(root, "src", "main.ts"),
      [
        `import { greeting } from "./greeting.ts";`,
        `export const here = import.meta.url;`,
        `export const threadUrl = new URL("./threads/worker.ts", import.meta.url).href;`,
        `export { greeting };`,
      ].join("\n"),
    );
    await bundleOutpost({ root, entryPoints: { main: "src/main.ts" }, outDir: join(root, "out") });
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("runs the entry, whose modules name their source files as import.meta.url", async () => {
    const entries = freshBundleEntries(bundleDir(), rootUrl());
    assert.ok(entries !== undefined);
    const bundled = (await import(entries.get("main")!)) as { here: string; threadUrl: string; greeting: string };
    assert.equal(bundled.greeting, "hello");
    assert.equal(bundled.here, pathToFileURL(join(root, "src", "main.ts")).href);
    assert.equal(bundled.threadUrl, pathToFileURL(join(root, "src", "threads", "worker.ts")).href);
  });

  it("is stale once a file it was built from is edited, touched or removed", () => {
    assert.ok(freshBundleEntries(bundleDir(), rootUrl()) !== undefined);

    const greeting = join(root, "src", "greeting.ts");
    const { atime, mtime } = statSync(greeting);
    writeFileSync(greeting, `export const greeting: string = "good day";\n`);
    utimesSync(greeting, atime, mtime);
    assert.equal(freshBundleEntries(bundleDir(), rootUrl()), undefined, "a file of another size");

    writeFileSync(greeting, `export const greeting: string = "hello";\n`);
    utimesSync(greeting, atime, new Date(mtime.getTime() + 1000));
    assert.equal(freshBundleEntries(bundleDir(), rootUrl()), undefined, "a file with another time");

    rmSync(greeting);
    assert.equal(freshBundleEntries(bundleDir(), rootUrl()), undefined, "a removed file");
  });

  it("is not used without a readable manifest", () => {
    writeFileSync(join(root, "out", "manifest.json"), "{ truncated");
    assert.equal(freshBundleEntries(bundleDir(), rootUrl()), undefined);
    rmSync(join(root, "out", "manifest.json"));
    assert.equal(freshBundleEntries(bundleDir(), rootUrl()), undefined);
  });
});
