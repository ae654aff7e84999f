// The version of an installed package as Outpost's own modules resolve it:
// from the package.json above the module an import of `name` reaches. Shared
// by the loader of the dependency bundles and the script that builds them.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * @param {string} name a bare package name
 * @returns {string | undefined} its version, or undefined when it is not installed
 */
export function installedVersion(name) {
  let dir;
  try {
    dir = dirname(fileURLToPath(import.meta.resolve(name)));
  } catch {
    return undefined;
  }
  for (;;) {
    try {
      const found = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      if (found.name === name) return found.version;
    } catch {
      // No package.json in this directory.
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
