/**
 * The bench runs Outpost's server from a bundle of its own modules, as
 * `outpost` runs from the one `npm run build` writes (scripts/bundle-outpost.ts),
 * so that the start it measures is the command's. The bundle is built at the
 * beginning of each run and kept under a name given by its contents: a run of
 * unchanged code reuses the last one's files, and with them Node's compile
 * cache, as a restarted `outpost serve` does.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { bundleOutpost } from "../../scripts/bundle-outpost.ts";
import { BENCH_DIR, REPO_ROOT } from "../paths.ts";

const BUNDLES_DIR = join(BENCH_DIR, "bundles");

/** Bundles a server script with the modules it imports, and returns the bundled script's path. */
export async function bundleServerScript(script: string): Promise<string> {
  const name = basename(script).replace(/\.ts$/, "");
  // Built beside its final place, at the same depth: the bundle names its sources by relative URLs.
  const staging = join(BUNDLES_DIR, `staging-${process.pid}`);
  mkdirSync(BUNDLES_DIR, { recursive: true });
  await bundleOutpost({ root: REPO_ROOT, entryPoints: { [name]: relative(REPO_ROOT, script) }, outDir: staging });
  const hash = createHash("sha256");
  for (const file of readdirSync(staging).sort()) {
    if (file !== "manifest.json") hash.update(file).update(readFileSync(join(staging, file)));
  }
  const dir = join(BUNDLES_DIR, hash.digest("hex").slice(0, 16));
  if (existsSync(dir)) {
    rmSync(staging, { recursive: true, force: true });
    // Marked as used now, so that removeOldBundles keeps it.
    const now = new Date();
    utimesSync(dir, now, now);
  } else {
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another run placed the same bundle first.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(dir)) throw error;
    }
  }
  removeOldBundles(dir);
  return join(dir, `${name}.js`);
}

/** Bundles of older code are dropped after a day, so the cache does not grow with every change. */
function removeOldBundles(keep: string): void {
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  for (const entry of readdirSync(BUNDLES_DIR)) {
    const path = join(BUNDLES_DIR, entry);
    if (path !== keep && statSync(path).mtimeMs < dayAgo) rmSync(path, { recursive: true, force: true });
  }
}
