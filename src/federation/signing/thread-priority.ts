/**
 * Lowering the scheduling priority of the calling thread. A signing thread
 * makes signatures for deliveries the main thread has already prepared; the
 * main thread is what the deliveries wait on (it connects, sends, reads
 * answers and records outcomes), and on a machine with few cores a signing
 * thread woken for a new batch would take the core from it. At a lower
 * priority the signing threads run on what the main thread leaves, and still
 * get a whole core whenever one is free.
 */
import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";

/** How much lower than the process a signing thread runs, in nice steps. */
export const SIGNING_THREAD_NICENESS = 10;

/** The nice value nothing can go past. */
const LOWEST_PRIORITY = 19;

/** The system's id of the calling thread on Linux, which getPriority and setPriority take; undefined elsewhere. */
export function currentThreadId(): number | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    // "/proc/thread-self" links to "<pid>/task/<thread id>".
    const threadId = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
    return Number.isInteger(threadId) && threadId > 0 ? threadId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lowers the calling thread's priority by `niceness` steps on Linux, where
 * each thread has an id of its own that setpriority() takes; elsewhere, or if
 * the system refuses, the thread keeps the process's priority. Returns the
 * thread's nice value after the change, or undefined when it was left alone.
 */
export function lowerThreadPriority(niceness: number): number | undefined {
  const threadId = currentThreadId();
  if (threadId === undefined) return undefined;
  try {
    const nice = Math.min(LOWEST_PRIORITY, getPriority(threadId) + Math.max(0, niceness));
    setPriority(threadId, nice);
    return nice;
  } catch {
    return undefined;
  }
}
