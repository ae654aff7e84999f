/**
 * The pool of RSA-2048 keys remote actors sign with. Generating a key takes
 * tens of milliseconds, so the pool is made once and cached under `.bench/`;
 * actors share keys by {@link keyIndexOf}.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { generateRsaKeyPair } from "../../src/crypto/keys.ts";
import type { KeyPairPem } from "../../src/crypto/keys.ts";
import { BENCH_DIR } from "../paths.ts";

const poolSchema = z.object({
  version: z.literal(1),
  keys: z.array(z.object({ publicKeyPem: z.string().min(100), privateKeyPem: z.string().min(100) })).min(1),
});

/** Parameters of {@link loadKeyPool}. */
export interface LoadKeyPoolParams {
  readonly size: number;
  /** Defaults to `.bench/`. */
  readonly dir?: string;
}

/** The pool, and whether it had to be generated this time. */
export interface KeyPool {
  readonly keys: readonly KeyPairPem[];
  readonly generated: boolean;
  readonly path: string;
}

/** Reads the cached pool of `size` keys, generating and caching it first if needed. */
export async function loadKeyPool(params: LoadKeyPoolParams): Promise<KeyPool> {
  const dir = params.dir ?? BENCH_DIR;
  const path = join(dir, `rsa-2048-pool-${params.size}.json`);
  const cached = await readPool(path);
  if (cached !== null && cached.length >= params.size) return { keys: cached.slice(0, params.size), generated: false, path };

  // Key generation runs on libuv's thread pool; a few at a time keep both cores busy.
  const keys: KeyPairPem[] = [];
  const batch = 8;
  for (let start = 0; start < params.size; start += batch) {
    const count = Math.min(batch, params.size - start);
    keys.push(...(await Promise.all(Array.from({ length: count }, () => generateRsaKeyPair()))));
  }
  await mkdir(dir, { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify({ version: 1, keys }), { mode: 0o600 });
  await rename(temporary, path);
  return { keys, generated: true, path };
}

async function readPool(path: string): Promise<KeyPairPem[] | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return null;
  }
  try {
    const parsed = poolSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.keys : null;
  } catch {
    return null;
  }
}
