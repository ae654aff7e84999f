#!/usr/bin/env node
// In a checkout, Outpost runs its TypeScript sources directly, which needs a
// Node.js that strips types; an installed package (under node_modules, where
// Node.js strips no types) runs the JavaScript built into dist/. Check before
// loading either, so an older Node.js gets a clear message instead of a
// syntax error.
const [major, minor] = process.versions.node.split(".").map(Number);
const installed = import.meta.url.includes("/node_modules/");
const recentEnough = major > 22 || (major === 22 && minor >= 12);
const stripsTypes = Boolean(process.features && process.features.typescript);
if (!recentEnough || (!installed && !stripsTypes)) {
  process.stderr.write(
    `outpost: this Node.js (${process.version}) cannot run Outpost, which needs Node.js 22.12 or newer` +
      (installed ? ".\n" : " with TypeScript type stripping (on by default since 22.18 and 23.6).\n") +
      "Run it with `npx outpost …` or `npm start` in the Outpost directory: they use the Node.js 24 " +
      "installed by `npm install`.\n",
  );
  process.exit(1);
}
// Stripping the types of every module and compiling it anew made each start
// take hundreds of milliseconds more, and the stripper alone holds tens of
// megabytes; Node.js keeps both results on disk, checked against each file's
// contents (in the temporary directory unless NODE_COMPILE_CACHE names
// another; NODE_DISABLE_COMPILE_CACHE=1 turns it off).
const { enableCompileCache } = await import("node:module");
enableCompileCache?.();
await import("./bundled-dependencies.js");
// A checkout runs its own modules from one bundle while it is as fresh as its
// last build (see outpost-bundle.js): loading them one by one took about a
// quarter of every start. OUTPOST_NO_BUNDLES=1 runs the sources.
let bundle;
if (!installed && process.env.OUTPOST_NO_BUNDLES !== "1") {
  const { freshBundleEntries } = await import("./outpost-bundle.js");
  bundle = freshBundleEntries(new URL("../dist/bundled/outpost/", import.meta.url), new URL("../", import.meta.url));
}
const entry = (name, source, built) => bundle?.get(name) ?? (installed ? built : source);
// On a first start, the instance actor's key is generated while the rest loads (see keys-ahead).
const { generateFirstStartKeysAhead } = await import(entry("keys-ahead", "../src/cli/keys-ahead.ts", "../dist/cli/keys-ahead.js"));
generateFirstStartKeysAhead({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd() });
await import(entry("main", "../src/cli/main.ts", "../dist/cli/main.js"));
