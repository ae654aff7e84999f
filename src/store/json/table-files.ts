/**
 * Reading and writing the table files. One table changed: its file is
 * replaced atomically. Several tables changed together (a transaction): each
 * new file is staged and flushed first, then a journal naming them all is
 * written atomically (the commit point), then the staged files are renamed
 * into place. A crash before the journal leaves the old files; a crash after
 * it is finished on the next open by {@link recoverTableFiles}.
 */
import { z } from "zod";
import { basename, join } from "node:path";
import { stageFile, TEMP_MARKER, writeFileAtomic, type JsonFileSystem } from "./atomic-file.ts";
import { emptyTables, parseTable, serializeTable, TABLE_NAMES, TABLES, type Table, type TableName, type Tables } from "./tables.ts";

/** The journal of a commit that spans several files. */
export const JOURNAL_FILE = "commit-journal.json";

const journalSchema = z.object({
  renames: z.array(z.object({ from: z.string().min(1), to: z.string().min(1) })),
});

/** Where the table files are. */
export interface TableFilesLocation {
  readonly fs: JsonFileSystem;
  readonly dir: string;
}

/** Reads every table; a missing file is an empty table. Throws, naming the file, if one is damaged. */
export async function loadTableFiles(params: TableFilesLocation): Promise<Tables> {
  const tables = emptyTables();
  for (const name of TABLE_NAMES) {
    const path = join(params.dir, TABLES[name].file);
    const text = await params.fs.readText(path);
    if (text === null) continue;
    const parsed = parseTable({ name, text, source: path });
    if (!parsed.ok) throw new Error(`The JSON store cannot be read: ${parsed.message}`);
    (tables.rows as Record<TableName, Table<TableName>>)[name] = parsed.rows as Table<TableName>;
    tables.nextSeq[name] = parsed.nextSeq;
  }
  return tables;
}

/** What to write: the changed tables of a state. */
export interface WriteTablesParameters extends TableFilesLocation {
  readonly tables: Tables;
  readonly changed: readonly TableName[];
}

/** The outcome of writing tables. */
export type WriteTablesResult =
  | { ok: true }
  /** Nothing changed on disk: the old files stand. */
  | { ok: false; reason: "not-written"; message: string; cause: unknown }
  /**
   * The journal is on disk but not every file was put in place: the commit
   * stands, and is finished when the store is next opened.
   */
  | { ok: false; reason: "journaled"; message: string; cause: unknown };

function textOf(tables: Tables, name: TableName): string {
  return serializeTable({ name, rows: tables.rows[name], nextSeq: tables.nextSeq[name] });
}

/** Writes the changed tables so that they all land or none does. */
export async function writeTableFiles(params: WriteTablesParameters): Promise<WriteTablesResult> {
  const { fs, dir, tables, changed } = params;
  if (changed.length === 0) return { ok: true };
  if (changed.length === 1) {
    const name = changed[0]!;
    try {
      await writeFileAtomic({ fs, path: join(dir, TABLES[name].file), text: textOf(tables, name) });
      return { ok: true };
    } catch (cause) {
      return { ok: false, reason: "not-written", message: `Writing ${TABLES[name].file} failed`, cause };
    }
  }

  const staged: { from: string; to: string }[] = [];
  try {
    for (const name of changed) {
      const to = join(dir, TABLES[name].file);
      staged.push({ from: await stageFile({ fs, path: to, text: textOf(tables, name) }), to });
    }
    const journal = { renames: staged.map(({ from, to }) => ({ from: basename(from), to: basename(to) })) };
    await writeFileAtomic({ fs, path: join(dir, JOURNAL_FILE), text: `${JSON.stringify(journal, null, 2)}\n` });
  } catch (cause) {
    await Promise.all(staged.map(({ from }) => fs.remove(from).catch(() => {})));
    const files = changed.map((name) => TABLES[name].file).join(", ");
    return { ok: false, reason: "not-written", message: `Writing ${files} failed`, cause };
  }

  try {
    for (const { from, to } of staged) await fs.rename(from, to);
    await fs.syncDirectory(dir);
    await fs.remove(join(dir, JOURNAL_FILE));
    return { ok: true };
  } catch (cause) {
    return {
      ok: false,
      reason: "journaled",
      message: "A commit was journaled but not all of its files were put in place; reopen the store to finish it",
      cause,
    };
  }
}

/**
 * Brings the directory to a clean state after a crash: finishes a journaled
 * commit, then removes temporary files that no commit will use.
 */
export async function recoverTableFiles(params: TableFilesLocation): Promise<void> {
  const { fs, dir } = params;
  const journalPath = join(dir, JOURNAL_FILE);
  const text = await fs.readText(journalPath);
  if (text !== null) {
    let journal: z.infer<typeof journalSchema>;
    try {
      journal = journalSchema.parse(JSON.parse(text));
    } catch (error) {
      throw new Error(`The JSON store cannot be opened: ${journalPath} is damaged`, { cause: error });
    }
    for (const { from, to } of journal.renames) {
      // Journal entries are plain names inside the directory; anything else was not written by us.
      if (from.includes("/") || to.includes("/") || from.includes("\\") || to.includes("\\")) {
        throw new Error(`The JSON store cannot be opened: ${journalPath} names a file outside the store`);
      }
      // A staged file that is gone was renamed before the crash.
      if ((await fs.readText(join(dir, from))) !== null) await fs.rename(join(dir, from), join(dir, to));
    }
    await fs.syncDirectory(dir);
    await fs.remove(journalPath);
  }
  for (const name of await fs.listFiles(dir)) {
    if (name.includes(TEMP_MARKER)) await fs.remove(join(dir, name));
  }
}
