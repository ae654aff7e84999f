/**
 * Part of `npm run build`: bundles Outpost's own modules, as `outpost` runs
 * them, into a few modules under dist/bundled/outpost/. The command loads
 * about 240 of its own modules before it answers a request; Node resolves,
 * reads and links each one, which was about a quarter of every start (on a
 * 2-core EPYC, 665 ms to the first answer against 497 from the bundle,
 * medians of fifteen starts taken in turn).
 *
 * The manifest written beside the bundle lists every file it was built from
 * with its size and modification time. `bin/outpost.js` takes the bundle
 * only while all of them are unchanged (bin/outpost-bundle.js), so an edited
 * checkout runs its sources until the next build. Packages stay outside the
 * bundle: Kysely and zod have bundles of their own (bundle-dependencies.ts),
 * and bundling the rest did not start any faster.
 *
 * Worker threads are started from the source modules beside their callers
 * (`new URL("./x.ts", import.meta.url)`): in the bundle, `import.meta.url` of
 * each module still names its source file, so those URLs, and the
 * `createRequire` calls made from it, resolve as they do unbundled.
 *
 *   node scripts/bundle-outpost.ts
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Loader, type Plugin } from "esbuild-wasm";

/** What bin/outpost-bundle.js reads. */
export interface OutpostBundleManifest {
  /** Entry name to the bundle's file for it, relative to the bundle's directory. */
  readonly entries: Record<string, string>;
  /** Every file the bundle was built from, relative to the package root, with its size and modification time (ms). */
  readonly inputs: Record<string, readonly [size: number, mtimeMs: number]>;
}

/** Parameters of {@link bundleOutpost}. */
export interface BundleOutpostParams {
  /** The package root: inputs are recorded relative to it; modules outside it, or under node_modules, are left out. */
  readonly root: string;
  /** Entry name to the module it starts from (a path relative to `root`). */
  readonly entryPoints: Readonly<Record<string, string>>;
  /** Emptied, then filled with the entries, their shared chunks, and manifest.json. */
  readonly outDir: string;
}

const LOADERS: Readonly<Record<string, Loader>> = { ".ts": "ts", ".js": "js", ".json": "json" };

/** Bundles the entry points' own modules; packages are imported as they are. */
export async function bundleOutpost(params: BundleOutpostParams): Promise<OutpostBundleManifest> {
  const { root, outDir } = params;
  const inputs: Record<string, readonly [number, number]> = {};
  const ownModules: Plugin = {
    name: "own-modules",
    setup(plugin) {
      plugin.onLoad({ filter: /\.(ts|js|json)$/ }, (args) => {
        const path = relative(root, args.path);
        if (path.startsWith("..") || path.split(sep).includes("node_modules")) return undefined;
        // Taken before the read: a file written meanwhile reads as changed, and the bundle as stale.
        const stat = statSync(args.path);
        inputs[path.split(sep).join("/")] = [stat.size, stat.mtimeMs];
        const source = readFileSync(args.path, "utf8");
        const loader = LOADERS[extname(args.path)]!;
        if (loader === "json") return { contents: source, loader };
        // Every output file lies directly in outDir, so one relative URL per module names its source from any chunk.
        const sourceUrl = relative(outDir, args.path).split(sep).map(encodeURIComponent).join("/");
        const contents = source.replaceAll("import.meta.url", `new URL(${JSON.stringify(sourceUrl)}, import.meta.url).href`);
        return { contents, loader };
      });
    },
  };
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: params.entryPoints,
    bundle: true,
    // Entries share their modules through chunks, so a module two entries import is loaded once.
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node22",
    packages: "external",
    outdir: outDir,
    // Stack traces name the source files with `node --enable-source-maps` (NODE_OPTIONS). Not on by
    // default: reading the maps made every start about 35 ms slower, and the bundle is not minified.
    sourcemap: "linked",
    logLevel: "warning",
    plugins: [ownModules],
  });
  const manifest: OutpostBundleManifest = {
    entries: Object.fromEntries(Object.keys(params.entryPoints).map((name) => [name, `${name}.js`])),
    inputs,
  };
  writeFileSync(join(outDir, "manifest.json"), `${JSON.stringify(manifest)}\n`);
  return manifest;
}

/** The package root, and the bundle `outpost` runs: the CLI, and the module it starts key generation from. */
const PACKAGE_ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI_BUNDLE_DIR = join(PACKAGE_ROOT, "dist", "bundled", "outpost");
const CLI_ENTRY_POINTS = { main: "src/cli/main.ts", "keys-ahead": "src/cli/keys-ahead.ts" } as const;

if (import.meta.main) {
  await bundleOutpost({ root: PACKAGE_ROOT, entryPoints: CLI_ENTRY_POINTS, outDir: CLI_BUNDLE_DIR });
}
