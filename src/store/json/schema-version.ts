/**
 * The format version of a JSON store directory, kept in
 * `schema-version.json`, and the steps that bring an older directory up to
 * date. Each step is safe to run again: the version file is only rewritten
 * once a step's files are all in place, so a crash midway repeats the step on
 * the next open.
 */
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic, type JsonFileSystem } from "./atomic-file.ts";
import { TABLE_NAMES, TABLES, type TableFile, type TableName } from "./tables.ts";

/** The version this code reads and writes. */
export const CURRENT_SCHEMA_VERSION = 3;

export const SCHEMA_VERSION_FILE = "schema-version.json";

/** Version 1 kept every table in this one file. */
export const VERSION_1_FILE = "outpost.json";

const versionFileSchema = z.object({ version: z.number().int().positive() });

/** Where a store directory is. */
export interface StoreDirectory {
  readonly fs: JsonFileSystem;
  readonly dir: string;
}

/** What a directory's version file says, and whether this code can open it. */
export type SchemaVersionCheck =
  | { ok: true; kind: "new" }
  | { ok: true; kind: "current"; version: number }
  | { ok: true; kind: "older"; version: number }
  | { ok: false; reason: "newer" | "damaged" | "unversioned-data"; message: string };

/** Reads `schema-version.json` and says whether (and how) the directory can be opened. */
export async function checkSchemaVersion(params: StoreDirectory): Promise<SchemaVersionCheck> {
  const path = join(params.dir, SCHEMA_VERSION_FILE);
  const text = await params.fs.readText(path);
  if (text === null) {
    const files = new Set(await params.fs.listFiles(params.dir));
    const data = [VERSION_1_FILE, ...TABLE_NAMES.map((name) => TABLES[name].file)].filter((file) => files.has(file));
    if (data.length > 0) {
      return {
        ok: false,
        reason: "unversioned-data",
        message: `${params.dir} holds ${data.join(", ")} but no ${SCHEMA_VERSION_FILE}; refusing to guess its format`,
      };
    }
    return { ok: true, kind: "new" };
  }
  let version: number;
  try {
    version = versionFileSchema.parse(JSON.parse(text)).version;
  } catch {
    return { ok: false, reason: "damaged", message: `${path} is damaged: expected {"version": <positive integer>}` };
  }
  if (version > CURRENT_SCHEMA_VERSION) {
    return {
      ok: false,
      reason: "newer",
      message:
        `${params.dir} was written by a newer Outpost (JSON store version ${version}; this one reads up to ` +
        `${CURRENT_SCHEMA_VERSION}). Upgrade Outpost to open it.`,
    };
  }
  return version === CURRENT_SCHEMA_VERSION ? { ok: true, kind: "current", version } : { ok: true, kind: "older", version };
}

/** Records the directory's version. */
export async function writeSchemaVersion(params: StoreDirectory & { readonly version: number }): Promise<void> {
  await writeFileAtomic({
    fs: params.fs,
    path: join(params.dir, SCHEMA_VERSION_FILE),
    text: `${JSON.stringify({ version: params.version }, null, 2)}\n`,
  });
}

/** One step from a version to the next. */
export interface JsonMigration {
  readonly from: number;
  readonly to: number;
  readonly summary: string;
  run(params: StoreDirectory): Promise<void>;
}

/** Tables that version 3 added; the steps before it know nothing of them. */
const ADDED_IN_VERSION_3: readonly TableName[] = ["interactions", "quoteAuthorizations"];

/** The tables of version 2. */
const VERSION_2_TABLES: readonly TableName[] = TABLE_NAMES.filter((name) => !ADDED_IN_VERSION_3.includes(name));

const version1Schema = z.object({
  tables: z.record(z.string(), z.object({ nextSeq: z.number().int().positive(), rows: z.array(z.unknown()) })),
});

/**
 * Version 1 → 2: version 1 kept every table in `outpost.json`, so finishing a
 * single job rewrote every post and actor. Version 2 gives each table its own
 * file. Rows keep their shape; their checks happen when the store loads.
 */
const splitTables: JsonMigration = {
  from: 1,
  to: 2,
  summary: "split outpost.json into one file per table",
  async run({ fs, dir }) {
    const path = join(dir, VERSION_1_FILE);
    const text = await fs.readText(path);
    // Absent: a previous run finished the split and removed the file, then crashed before the version was written.
    if (text === null) return;
    let old: z.infer<typeof version1Schema>;
    try {
      old = version1Schema.parse(JSON.parse(text));
    } catch (error) {
      throw new Error(`${path} is damaged`, { cause: error });
    }
    const unknown = Object.keys(old.tables).filter((name) => !(VERSION_2_TABLES as string[]).includes(name));
    if (unknown.length > 0) throw new Error(`${path} holds unknown tables: ${unknown.join(", ")}`);
    for (const name of VERSION_2_TABLES) {
      const table = old.tables[name] ?? { nextSeq: 1, rows: [] };
      const file: TableFile = { table: name, nextSeq: table.nextSeq, rows: table.rows };
      await writeFileAtomic({ fs, path: join(dir, TABLES[name].file), text: `${JSON.stringify(file, null, 2)}\n` });
    }
  },
};

/**
 * Version 2 → 3: adds the tables of interactions (replies, likes, boosts,
 * mentions and quotes of local things) and of quote authorizations, empty.
 * A file already there is kept, not emptied: a run that crashed before the
 * version was written may have made it, and it is checked when the store loads.
 */
const addInteractionTables: JsonMigration = {
  from: 2,
  to: 3,
  summary: "add interactions.json and quote-authorizations.json",
  async run({ fs, dir }) {
    for (const name of ADDED_IN_VERSION_3) {
      const path = join(dir, TABLES[name].file);
      if ((await fs.readText(path)) !== null) continue;
      const file: TableFile = { table: name, nextSeq: 1, rows: [] };
      await writeFileAtomic({ fs, path, text: `${JSON.stringify(file, null, 2)}\n` });
    }
  },
};

/** Every step, oldest first. */
export const MIGRATIONS: readonly JsonMigration[] = [splitTables, addInteractionTables];

/** Files a finished step leaves behind that no current version reads; removed once the directory is current. */
const OBSOLETE_FILES: readonly string[] = [VERSION_1_FILE];

/** The outcome of bringing a directory up to date. */
export type MigrationResult =
  | { ok: true; from: number; to: number; applied: readonly string[] }
  | { ok: false; reason: "no-step" | "step-failed"; message: string; cause?: unknown };

/** Runs every step from `from` to {@link CURRENT_SCHEMA_VERSION}, recording the version after each. */
export async function migrateToCurrent(
  params: StoreDirectory & { readonly from: number; readonly migrations?: readonly JsonMigration[] },
): Promise<MigrationResult> {
  const steps = params.migrations ?? MIGRATIONS;
  const applied: string[] = [];
  let version = params.from;
  while (version < CURRENT_SCHEMA_VERSION) {
    const step = steps.find((candidate) => candidate.from === version);
    if (step === undefined) {
      return { ok: false, reason: "no-step", message: `No way to migrate the JSON store from version ${version}` };
    }
    try {
      await step.run(params);
      await writeSchemaVersion({ ...params, version: step.to });
    } catch (cause) {
      const detail = cause instanceof Error ? `: ${cause.message}` : "";
      return {
        ok: false,
        reason: "step-failed",
        message: `Migrating the JSON store from version ${step.from} to ${step.to} (${step.summary}) failed${detail}`,
        cause,
      };
    }
    applied.push(`${step.from} → ${step.to}: ${step.summary}`);
    version = step.to;
  }
  for (const file of OBSOLETE_FILES) await params.fs.remove(join(params.dir, file));
  return { ok: true, from: params.from, to: version, applied };
}
