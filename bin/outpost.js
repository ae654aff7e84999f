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
// On a first start, the instance actor's key is generated while the rest loads (see keys-ahead).
const { generateFirstStartKeysAhead } = await import(installed ? "../dist/cli/keys-ahead.js" : "../src/cli/keys-ahead.ts");
generateFirstStartKeysAhead({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd() });
await import(installed ? "../dist/cli/main.js" : "../src/cli/main.ts");
