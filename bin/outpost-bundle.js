// Finds the bundle of Outpost's own modules that `npm run build` writes to
// dist/bundled/outpost/ (see scripts/bundle-outpost.ts), for bin/outpost.js
// to load instead of the sources. A bundle is used only while every file it
// was built from has the size and modification time its manifest recorded,
// so a checkout edited since its last build runs its sources.
import { readFileSync, statSync } from "node:fs";

/**
 * @param {URL} bundleDir the bundle's directory (holding manifest.json)
 * @param {URL} root the package root its inputs are relative to
 * @returns {Map<string, string> | undefined} each entry's URL by name, or undefined when there is no usable bundle
 */
export function freshBundleEntries(bundleDir, root) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(new URL("manifest.json", bundleDir), "utf8"));
  } catch {
    return undefined;
  }
  if (typeof manifest?.entries !== "object" || typeof manifest.inputs !== "object" || manifest.entries === null || manifest.inputs === null) {
    return undefined;
  }
  for (const [path, recorded] of Object.entries(manifest.inputs)) {
    if (!Array.isArray(recorded)) return undefined;
    const stat = statSync(new URL(path.split("/").map(encodeURIComponent).join("/"), root), { throwIfNoEntry: false });
    if (stat === undefined || stat.size !== recorded[0] || stat.mtimeMs !== recorded[1]) return undefined;
  }
  const entries = new Map();
  for (const [name, file] of Object.entries(manifest.entries)) {
    if (typeof file !== "string") return undefined;
    entries.set(name, new URL(file, bundleDir).href);
  }
  return entries;
}
