/**
 * The directory lock. The JSON store keeps its state in memory and writes
 * whole files, so two processes on one directory would each overwrite the
 * other's changes. Opening a store therefore creates `.lock` exclusively
 * (O_EXCL) with the owner's pid; a lock left by a process that has died is
 * taken over, and a lock of a live process refuses the open.
 */
import { constants } from "node:fs";
import { open, readFile, unlink } from "node:fs/promises";
import { join, resolve } from "node:path";

export const LOCK_FILE = ".lock";

/** Lock files held (or being taken) by stores of this process: a second store here is refused, though the pid in the lock is alive and ours. */
const heldHere = new Set<string>();

/** Whether a process runs. */
export type ProcessProbe = (pid: number) => boolean;

/** Whether `pid` is a running process, by signal 0 (which checks without sending anything). */
export const probeProcess: ProcessProbe = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** Who holds a lock, judged from its content. */
export type LockHolder =
  | { state: "live"; pid: number }
  | { state: "stale"; pid: number }
  | { state: "unreadable"; content: string };

/** The pid a lock file names, or null if its content is not one. */
export function parseLockContent(content: string): number | null {
  const trimmed = content.trim();
  if (!/^[1-9][0-9]{0,9}$/.test(trimmed)) return null;
  const pid = Number(trimmed);
  return Number.isSafeInteger(pid) ? pid : null;
}

/** What is known about a lock file found on open. */
export interface JudgeLockParameters {
  readonly content: string;
  readonly ownPid: number;
  readonly isRunning: ProcessProbe;
}

/**
 * Judges a lock found on open, by a store of this process that does not hold
 * it. Our own pid there was left by an earlier process that had the same pid
 * (pids are reused), so it is as stale as a dead one.
 */
export function judgeLock(params: JudgeLockParameters): LockHolder {
  const pid = parseLockContent(params.content);
  if (pid === null) return { state: "unreadable", content: params.content };
  if (pid === params.ownPid) return { state: "stale", pid };
  return params.isRunning(pid) ? { state: "live", pid } : { state: "stale", pid };
}

/** A lock held by this process. */
export interface HeldLock {
  readonly path: string;
  release(): Promise<void>;
}

/** The outcome of taking a lock. */
export type AcquireLockResult =
  | { ok: true; lock: HeldLock; tookOverFrom: number | null }
  | { ok: false; reason: "held" | "unreadable" | "contended"; message: string };

/** Which directory to lock. */
export interface AcquireLockParameters {
  readonly dir: string;
  readonly isRunning?: ProcessProbe;
}

async function createExclusively(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    await handle.writeFile(`${process.pid}\n`, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

async function readLock(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Takes the directory's lock, taking over a stale one. */
export async function acquireLock(params: AcquireLockParameters): Promise<AcquireLockResult> {
  const path = resolve(params.dir, LOCK_FILE);
  if (heldHere.has(path)) {
    return { ok: false, reason: "held", message: `${params.dir} is already open in this process; open one JSON store per directory` };
  }
  // Reserved before the first await, so that two opens racing in this
  // process cannot both get past this point.
  heldHere.add(path);
  try {
    const result = await takeLock(path, params);
    if (!result.ok) heldHere.delete(path);
    return result;
  } catch (error) {
    heldHere.delete(path);
    throw error;
  }
}

async function takeLock(path: string, params: AcquireLockParameters): Promise<AcquireLockResult> {
  const isRunning = params.isRunning ?? probeProcess;
  let tookOverFrom: number | null = null;
  // A few rounds: another process may take over the same stale lock between our read and our create.
  for (let round = 0; round < 3; round++) {
    if (await createExclusively(path)) return { ok: true, lock: heldLock(path), tookOverFrom };
    const content = await readLock(path);
    if (content === null) continue;
    const holder = judgeLock({ content, ownPid: process.pid, isRunning });
    switch (holder.state) {
      case "live":
        return {
          ok: false,
          reason: "held",
          message: `${params.dir} is in use by process ${holder.pid} (${path}); stop it first, or remove the lock if that process is not Outpost`,
        };
      case "unreadable":
        // Not ours to break: without a pid there is no telling whether its owner lives.
        return {
          ok: false,
          reason: "unreadable",
          message: `${path} exists but names no process (${JSON.stringify(holder.content.slice(0, 40))}); remove it if no process uses ${params.dir}`,
        };
      case "stale":
        // Removed only if it still is the lock we judged, so that a lock a
        // racing process has just taken is not removed in its place.
        if ((await readLock(path)) === content) {
          await unlink(path).catch(() => {});
          tookOverFrom = holder.pid;
        }
        break;
    }
  }
  return { ok: false, reason: "contended", message: `Could not take ${path}: other processes keep taking it` };
}

function heldLock(path: string): HeldLock {
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      // Only our own lock: if it was broken and retaken meanwhile, it is not ours to remove.
      const content = await readLock(path).catch(() => null);
      if (content !== null && parseLockContent(content) === process.pid) await unlink(path).catch(() => {});
      // Forgotten only once the file is gone, so that another store of this
      // process cannot take the lock and then lose it to this removal.
      heldHere.delete(path);
    },
  };
}
