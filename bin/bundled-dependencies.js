// Makes Outpost's own modules load Kysely and zod from the single-module
// bundles that `npm run build` writes to dist/bundled/ (see
// scripts/bundle-dependencies.ts): resolving and linking their 350-odd small
// modules was the largest part of a start. A package is taken from its bundle
// only while the installed version is the one the bundle was built from, and
// only for imports from Outpost's own files, so a stale bundle or another copy
// of the package elsewhere is left alone. Without bundles, or on a Node.js
// without `module.registerHooks`, imports resolve as usual.
//
// `bin/outpost.js` imports this first; a script that runs Outpost's sources
// itself can do the same with `node --import ./bin/bundled-dependencies.js`.
import { readFileSync } from "node:fs";
import * as nodeModule from "node:module";
import { installedVersion } from "./installed-version.js";

const PACKAGE_ROOT = new URL("../", import.meta.url).href;
const BUNDLE_DIR = new URL("../dist/bundled/", import.meta.url);

/** The bundles whose package is installed at the version they were built from, by specifier. */
function usableBundles(manifest) {
  const urls = new Map();
  for (const [name, entry] of Object.entries(manifest?.packages ?? {})) {
    if (typeof entry?.file !== "string" || typeof entry.version !== "string") continue;
    if (installedVersion(name) === entry.version) urls.set(name, new URL(entry.file, BUNDLE_DIR).href);
  }
  return urls;
}

/** Whether a module is one of Outpost's own files rather than a dependency's. */
function isOwnModule(url) {
  return url !== undefined && url.startsWith(PACKAGE_ROOT) && !url.slice(PACKAGE_ROOT.length).startsWith("node_modules/");
}

function readManifest() {
  try {
    return JSON.parse(readFileSync(new URL("manifest.json", BUNDLE_DIR), "utf8"));
  } catch {
    return undefined;
  }
}

const manifest = process.env.OUTPOST_NO_BUNDLES === "1" ? undefined : readManifest();
if (manifest !== undefined && typeof nodeModule.registerHooks === "function") {
  const bundles = usableBundles(manifest);
  if (bundles.size > 0) {
    nodeModule.registerHooks({
      resolve(specifier, context, nextResolve) {
        const url = bundles.get(specifier);
        if (url === undefined || !isOwnModule(context.parentURL)) return nextResolve(specifier, context);
        return { url, format: "module", shortCircuit: true };
      },
    });
  }
}
