/**
 * The dependency bundles that `npm run build` writes and bin/outpost.js
 * loads: Outpost's own modules get the bundle while the installed package is
 * the version it was built from, and the package itself otherwise.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BUNDLE_DIR = join(ROOT, "dist", "bundled");
const run = promisify(execFile);

/** What `import.meta.resolve` gives a module of the package at `root`, and the names the import exports. */
async function resolveFrom(params: { root: string; env?: Record<string, string> }): Promise<Record<string, { url: string; names: string[] }>> {
  const script = `
    const out = {};
    for (const name of ["kysely", "zod"]) {
      out[name] = { url: import.meta.resolve(name), names: Object.keys(await import(name)).sort() };
    }
    console.log(JSON.stringify(out));`;
  const { stdout } = await run(
    process.execPath,
    ["--import", "./bin/bundled-dependencies.js", "--input-type=module", "--eval", script],
    { cwd: params.root, env: { ...process.env, ...params.env } },
  );
  return JSON.parse(stdout) as Record<string, { url: string; names: string[] }>;
}

/** A copy of the package's layout in a temporary directory, with its own manifest. */
function packageCopy(manifest: unknown): string {
  const root = mkdtempSync(join(tmpdir(), "outpost-bundles-"));
  mkdirSync(join(root, "bin"));
  for (const file of ["bundled-dependencies.js", "installed-version.js"]) cpSync(join(ROOT, "bin", file), join(root, "bin", file));
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "outpost-copy", type: "module" }));
  cpSync(BUNDLE_DIR, join(root, "dist", "bundled"), { recursive: true });
  writeFileSync(join(root, "dist", "bundled", "manifest.json"), JSON.stringify(manifest));
  symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"));
  return root;
}

function builtManifest(): { packages: Record<string, { version: string; file: string }> } {
  try {
    return JSON.parse(readFileSync(join(BUNDLE_DIR, "manifest.json"), "utf8")) as { packages: Record<string, { version: string; file: string }> };
  } catch (error) {
    throw new Error(`dist/bundled/manifest.json is missing or unreadable; \`npm run build\` writes it (${String(error)})`);
  }
}

describe("dependency bundles", () => {
  it("gives Outpost's modules each bundle, exporting what the package exports", async () => {
    builtManifest();
    const bundled = await resolveFrom({ root: ROOT });
    const plain = await resolveFrom({ root: ROOT, env: { OUTPOST_NO_BUNDLES: "1" } });
    for (const name of ["kysely", "zod"]) {
      assert.equal(bundled[name]!.url, new URL(`../dist/bundled/${name}.js`, import.meta.url).href);
      assert.match(plain[name]!.url, new RegExp(`/node_modules/${name}/`));
      assert.ok(plain[name]!.names.length > 50, `${name} exports ${plain[name]!.names.length} names`);
      assert.deepEqual(bundled[name]!.names, plain[name]!.names);
    }
  });

  it("keeps zod's English messages only, the one language Outpost's sources use", async () => {
    builtManifest();
    const script = `
      const { z } = await import("zod");
      console.log(JSON.stringify({ locales: Object.keys(z.locales), message: z.string().safeParse(1).error.issues[0].message }));`;
    const { stdout } = await run(process.execPath, ["--import", "./bin/bundled-dependencies.js", "--input-type=module", "--eval", script], { cwd: ROOT });
    assert.deepEqual(JSON.parse(stdout), { locales: ["en"], message: "Invalid input: expected string, received number" });
    const switching = await run("grep", ["-rlE", String.raw`\blocales\b|\.config\(`, "--include=*.ts", "src"], { cwd: ROOT }).then(
      ({ stdout: found }) => found.trim().split("\n"),
      () => [],
    );
    assert.deepEqual(switching, [], "these sources may set zod's language, which the bundle leaves out");
  });

  it("leaves a package alone when its bundle was built from another version", async () => {
    const manifest = builtManifest();
    const root = packageCopy({
      packages: { ...manifest.packages, kysely: { ...manifest.packages.kysely!, version: "0.0.1" } },
    });
    try {
      const resolved = await resolveFrom({ root });
      assert.match(resolved.kysely!.url, /\/node_modules\/kysely\//);
      assert.equal(resolved.zod!.url, new URL("dist/bundled/zod.js", `file://${root}/`).href);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("starts without bundles when the manifest is unreadable", async () => {
    const root = packageCopy("not a manifest");
    try {
      writeFileSync(join(root, "dist", "bundled", "manifest.json"), "{ truncated");
      const resolved = await resolveFrom({ root });
      assert.match(resolved.kysely!.url, /\/node_modules\/kysely\//);
      assert.match(resolved.zod!.url, /\/node_modules\/zod\//);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
