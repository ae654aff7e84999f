/**
 * Part of `npm run build`: bundles the dependencies whose many small modules
 * dominate the start of `outpost serve` into one module each, under
 * dist/bundled/. Kysely ships about 260 modules and zod about 95; Node
 * resolves, reads and links each one, which took 180 and 80 ms of every
 * start on a 2-core EPYC, against 15–25 ms for each bundle. `bin/outpost.js`
 * loads a bundle instead of the package only while the installed version is
 * the one it was built from (see bin/bundled-dependencies.js), so a stale or
 * missing bundle only costs start-up time.
 *
 *   node scripts/bundle-dependencies.ts
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild-wasm";
import { installedVersion } from "../bin/installed-version.js";

/** Packages bundled, by the bare specifier Outpost imports them with. */
const BUNDLED = ["kysely", "zod"] as const;

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT_DIR = join(ROOT, "dist", "bundled");
const ENTRY_NAMESPACE = "bundle-entry";

/** What bin/bundled-dependencies.js reads: each package's bundle and the version it holds. */
interface Manifest {
  readonly packages: Record<string, { readonly version: string; readonly file: string }>;
}

/**
 * One entry module per package that re-exports everything the package
 * exports, its default export included (`export *` leaves that out).
 */
async function entrySource(name: string): Promise<string> {
  const exported = (await import(name)) as Record<string, unknown>;
  const lines = [`export * from ${JSON.stringify(name)};`];
  if ("default" in exported) lines.push(`export { default } from ${JSON.stringify(name)};`);
  return lines.join("\n");
}

const entries: Plugin = {
  name: "bundle-entries",
  setup(plugin) {
    plugin.onResolve({ filter: /^bundle-entry:/ }, (args) => ({ path: args.path.slice(`${ENTRY_NAMESPACE}:`.length), namespace: ENTRY_NAMESPACE }));
    plugin.onLoad({ filter: /.*/, namespace: ENTRY_NAMESPACE }, async (args) => ({
      contents: await entrySource(args.path),
      resolveDir: ROOT,
      loader: "js",
    }));
  },
};

/**
 * zod's namespace carries the error messages of some fifty languages, about
 * half of its code, which every start would load. Outpost's code never
 * switches zod's language, so its bundle keeps English, zod's default, and
 * `z.locales` holds only `en` (a test checks that the sources use no other).
 */
const englishOnlyZod: Plugin = {
  name: "english-only-zod",
  setup(plugin) {
    plugin.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: join(dirname(args.importer), "..", "locales", "english-only.js"), namespace: "zod-locales" } : undefined,
    );
    plugin.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from "./en.js";`,
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
};

rmSync(OUT_DIR, { recursive: true, force: true });
mkdirSync(OUT_DIR, { recursive: true });
await build({
  entryPoints: Object.fromEntries(BUNDLED.map((name) => [name, `${ENTRY_NAMESPACE}:${name}`])),
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node22",
  outdir: OUT_DIR,
  // Each bundle stands alone: the packages share no code worth a common chunk.
  splitting: false,
  logLevel: "warning",
  plugins: [entries, englishOnlyZod],
});
const manifest: Manifest = {
  packages: Object.fromEntries(
    BUNDLED.map((name) => {
      const version = installedVersion(name);
      if (version === undefined) throw new Error(`${name} is not installed`);
      return [name, { version, file: `${name}.js` }];
    }),
  ),
};
writeFileSync(join(OUT_DIR, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
