/**
 * Crash-safe file replacement for the JSON store. A file is never written in
 * place: the new content goes to a temporary file in the same directory, is
 * flushed to disk, and is renamed over the original, which POSIX makes atomic.
 * A crash therefore leaves either the old file or the new one, never half of
 * each; the directory is flushed too, so the rename itself survives a crash.
 */
import { constants, type Dirent } from "node:fs";
import { mkdir, open, readdir, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * The file operations the JSON store performs, so that tests (and unusual
 * platforms) can substitute their own. Paths are absolute.
 */
export interface JsonFileSystem {
  /** The file's text, or null if there is no such file. */
  readText(path: string): Promise<string | null>;
  /** Creates a new file (failing if it exists), writes `text` and flushes it to disk. */
  createDurably(path: string, text: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; a missing file is not an error. */
  remove(path: string): Promise<void>;
  /** Flushes a directory's entries (renames, creations) to disk. */
  syncDirectory(path: string): Promise<void>;
  /** Names of the directory's plain files. */
  listFiles(path: string): Promise<string[]>;
  makeDirectory(path: string): Promise<void>;
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}

/** The real file system, through node:fs. */
export const nodeFileSystem: JsonFileSystem = {
  async readText(path) {
    try {
      return await readFile(path, "utf8");
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  },

  async createDurably(path, text) {
    const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
  },

  rename: (from, to) => rename(from, to),

  async remove(path) {
    try {
      await unlink(path);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  },

  async syncDirectory(path) {
    const handle = await open(path, constants.O_RDONLY);
    try {
      await handle.sync();
    } catch (error) {
      // Some file systems (and Windows) cannot fsync a directory; the rename
      // is still atomic there, only its durability rests with the OS.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EINVAL" && code !== "EPERM" && code !== "EISDIR") throw error;
    } finally {
      await handle.close();
    }
  },

  async listFiles(path) {
    const entries: Dirent[] = await readdir(path, { withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
  },

  async makeDirectory(path) {
    await mkdir(path, { recursive: true });
  },
};

/** The marker in temporary file names; every file containing it is a leftover once the store is closed. */
export const TEMP_MARKER = ".tmp-";

let tempCounter = 0;

/** A fresh temporary name beside `path`, unique within this process and across processes. */
export function tempPathFor(path: string): string {
  tempCounter += 1;
  const suffix = `${process.pid}-${tempCounter}-${Math.random().toString(36).slice(2, 8)}`;
  return join(dirname(path), `${basename(path)}${TEMP_MARKER}${suffix}`);
}

/** What a durable write needs. */
export interface AtomicWriteParameters {
  readonly fs: JsonFileSystem;
  readonly path: string;
  readonly text: string;
}

/**
 * Writes a temporary copy of `text` for `path` and flushes it, without
 * putting it in place yet; returns the temporary path. A failure removes the
 * partial temporary file and leaves `path` untouched.
 */
export async function stageFile(params: AtomicWriteParameters): Promise<string> {
  const temp = tempPathFor(params.path);
  try {
    await params.fs.createDurably(temp, params.text);
  } catch (error) {
    await params.fs.remove(temp).catch(() => {});
    throw error;
  }
  return temp;
}

/**
 * Replaces `path` with `text` atomically and durably: when the promise
 * resolves the new content is on disk; if it rejects, `path` still holds its
 * old content (or is still absent).
 */
export async function writeFileAtomic(params: AtomicWriteParameters): Promise<void> {
  const temp = await stageFile(params);
  try {
    await params.fs.rename(temp, params.path);
  } catch (error) {
    await params.fs.remove(temp).catch(() => {});
    throw error;
  }
  await params.fs.syncDirectory(dirname(params.path));
}
