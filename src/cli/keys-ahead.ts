/**
 * The first `outpost serve` on a new SQLite database makes the instance
 * actor, whose RSA key takes tens to hundreds of milliseconds to generate on
 * one of libuv's threads. The server answers without waiting for it
 * (src/outpost.ts), but the first request that needs it (the instance
 * actor's document, a signed fetch) would. Begun here, before the rest of
 * Outpost loads (bin/outpost.js imports this module first), it is made on
 * the second core while the main thread loads modules, and is ready by the
 * first answer.
 *
 * The command line is read roughly, without the program's parser (loading
 * it is what the key should overlap): a wrong guess only costs a key
 * generated for nothing on another thread, or the instance actor's key made
 * after the start instead of during it.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { generateRsaKeyPairsAhead } from "../crypto/keys.ts";
import { sqliteFileIn } from "../store/sqlite-file.ts";
import { DEFAULT_DATA_DIR } from "./config.ts";

/** Parameters of {@link generateFirstStartKeysAhead}. */
export interface FirstStartKeysParams {
  /** The command line without node and script. */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Program options that take a value, which is then not the command's name. */
const VALUE_OPTIONS = new Set(["--origin", "--port", "--host", "--data-dir", "--database-url"]);

/**
 * Begins generating the instance actor's key when the command line is
 * `serve` on a data directory without a database; returns how many keys
 * were begun.
 */
export function generateFirstStartKeysAhead(params: FirstStartKeysParams): number {
  const { argv, env } = params;
  let command: string | undefined;
  let dataDir: string | undefined;
  let databaseUrl: string | undefined;
  for (let index = 0; index < argv.length && command === undefined; index++) {
    const arg = argv[index]!;
    const equals = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = equals < 0 ? arg : arg.slice(0, equals);
    const inline = equals < 0 ? undefined : arg.slice(equals + 1);
    if (VALUE_OPTIONS.has(name)) {
      const value = inline ?? argv[++index];
      if (name === "--data-dir") dataDir = value;
      if (name === "--database-url") databaseUrl = value;
    } else if (!arg.startsWith("-")) {
      command = arg;
    }
  }
  if (command !== "serve") return 0;
  // An empty variable counts as unset, as in the configuration itself.
  if ((databaseUrl ?? (env.OUTPOST_DATABASE_URL || undefined)) !== undefined) return 0;
  const dir = resolve(params.cwd, dataDir ?? (env.OUTPOST_DATA_DIR || undefined) ?? DEFAULT_DATA_DIR);
  if (existsSync(sqliteFileIn(dir))) return 0;
  generateRsaKeyPairsAhead(1);
  return 1;
}
