#!/usr/bin/env node
// Outpost runs its TypeScript sources directly, which needs a Node.js that
// strips types. Check before loading them, so an older Node.js gets a clear
// message instead of a syntax error.
const [major, minor] = process.versions.node.split(".").map(Number);
const recentEnough = major > 22 || (major === 22 && minor >= 12);
const stripsTypes = Boolean(process.features && process.features.typescript);
if (!recentEnough || !stripsTypes) {
  process.stderr.write(
    `outpost: this Node.js (${process.version}) cannot run Outpost, which needs Node.js 22.12 or newer with ` +
      "TypeScript type stripping (on by default since 22.18 and 23.6).\n" +
      "Run it with `npx outpost …` or `npm start` in the Outpost directory: they use the Node.js 24 " +
      "installed by `npm install`.\n",
  );
  process.exit(1);
}
await import("../src/cli/main.ts");
