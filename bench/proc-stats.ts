/**
 * What the kernel knows about a process: CPU time used (utime + stime from
 * /proc/<pid>/stat) and resident memory (VmRSS, VmHWM from /proc/<pid>/status).
 * Linux only, which is where the bench runs.
 */
import { readFileSync, writeFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat; 100 on every Linux the bench supports. */
const TICKS_PER_SECOND = 100;

/** Parameters shared by the readers here. */
export interface PidParams {
  readonly pid: number;
}

/** CPU seconds (user + system) the process has used so far; NaN if it cannot be read. */
export function cpuSeconds(params: PidParams): number {
  try {
    const stat = readFileSync(`/proc/${params.pid}/stat`, "utf8");
    // The command name is in parentheses and may contain spaces; fields count from after it.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** Idle and total CPU time of the whole machine so far, in ticks (the `cpu` line of /proc/stat); null if unreadable. */
function machineTicks(): { readonly idle: number; readonly total: number } | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    if (ticks.length < 5 || ticks.some((tick) => !Number.isFinite(tick))) return null;
    // user nice system idle iowait irq softirq steal: idle and iowait are the time nothing ran.
    const total = ticks.slice(0, 8).reduce((sum, tick) => sum + tick, 0);
    return { idle: ticks[3]! + ticks[4]!, total };
  } catch {
    return null;
  }
}

/** Parameters of {@link waitForQuietMachine}. */
export interface QuietMachineParams {
  /** The share of all cores that must be idle over one window. */
  readonly idleShare: number;
  readonly windowMs: number;
  /** Gives up waiting after this long. */
  readonly maxMs: number;
}

/**
 * Waits until the machine's cores were idle for at least `idleShare` of a
 * window, or `maxMs` passed; resolves to the milliseconds waited. Where
 * /proc/stat cannot be read it does not wait.
 */
export async function waitForQuietMachine(params: QuietMachineParams): Promise<number> {
  const began = performance.now();
  let before = machineTicks();
  while (before !== null && performance.now() - began < params.maxMs) {
    await new Promise((resolve) => setTimeout(resolve, params.windowMs));
    const after = machineTicks();
    if (after === null) break;
    const total = after.total - before.total;
    if (total > 0 && (after.idle - before.idle) / total >= params.idleShare) break;
    before = after;
  }
  return performance.now() - began;
}

/** Resident and peak resident memory in bytes. */
export interface MemoryUse {
  readonly rssBytes: number;
  readonly peakRssBytes: number;
}

/** The process's VmRSS and VmHWM; NaN when unreadable. */
export function memoryUse(params: PidParams): MemoryUse {
  try {
    const status = readFileSync(`/proc/${params.pid}/status`, "utf8");
    const field = (name: string) => {
      const match = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status);
      return match === null ? Number.NaN : Number(match[1]) * 1024;
    };
    return { rssBytes: field("VmRSS"), peakRssBytes: field("VmHWM") };
  } catch {
    return { rssBytes: Number.NaN, peakRssBytes: Number.NaN };
  }
}

/** Resets the process's peak RSS (VmHWM) to its current RSS; false where the kernel refuses. */
function resetPeakRss(params: PidParams): boolean {
  try {
    writeFileSync(`/proc/${params.pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** Parameters of {@link watchPeakRss}. */
export interface WatchPeakRssParams extends PidParams {
  readonly intervalMs: number;
}

/** Samples VmRSS until stopped; `stop` answers the highest of the samples and of VmHWM. */
export function watchPeakRss(params: WatchPeakRssParams): { stop(): number } {
  const reset = resetPeakRss(params);
  let peak = memoryUse(params).rssBytes;
  const timer = setInterval(() => {
    const rss = memoryUse(params).rssBytes;
    if (rss > peak) peak = rss;
  }, params.intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const last = memoryUse(params);
      // VmHWM only counts from the reset; without one it would reach back before the phase.
      return Math.max(peak, last.rssBytes, reset ? last.peakRssBytes : 0);
    },
  };
}
