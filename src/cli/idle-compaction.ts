/**
 * Gives memory back to the system once the server goes quiet. V8 collects
 * garbage only when JavaScript allocates, so a process that falls idle keeps
 * the heap it grew while busy (start-up, a burst of deliveries or inbox
 * traffic) for as long as it stays idle: a young generation sized for load,
 * and dead objects in the old one. Most servers spend most of their time
 * idle, so after a second of quiet following work the server runs one
 * compacting collection that shrinks the heap to what is alive.
 *
 * This belongs to the standalone process, not to the library: collecting on
 * its own schedule is the host application's call.
 */
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** V8's collection entry point with its options (see V8's gc extension). */
type CollectGarbage = (options: { type: "major"; execution: "sync"; flavor: "last-resort" }) => void;

/** Parameters of {@link startIdleCompaction}. */
export interface IdleCompactionParams {
  /** How often the event loop's load is sampled; default 500 ms. */
  readonly intervalMs?: number;
  /** Samples in a row that must be quiet before compacting; default 2. */
  readonly quietSamples?: number;
  /** Event loop utilization at or below which a sample counts as quiet; default 0.02. */
  readonly quietUtilization?: number;
  /** The heap must have grown this much since the last compaction to be worth another; default 4 MiB. */
  readonly minGrowthBytes?: number;
  /** Told after each compaction; the server logs it at debug level. */
  readonly onCompacted?: (report: CompactionReport) => void;
  /** Reads the heap size; tests substitute one. */
  readonly heapBytes?: () => number;
  /** Runs the collection; defaults to V8's own, which this module exposes. */
  readonly collect?: () => void;
}

/** What one compaction did. */
export interface CompactionReport {
  readonly heapBeforeBytes: number;
  readonly heapAfterBytes: number;
  readonly durationMs: number;
}

/** A running compactor. */
export interface IdleCompaction {
  stop(): void;
}

/**
 * Starts watching the event loop. Work done by the collection itself is not
 * counted as activity, and a heap that has not grown since the last
 * compaction is left alone, so an idle server compacts once and then sleeps.
 */
export function startIdleCompaction(params: IdleCompactionParams = {}): IdleCompaction {
  // V8's collector is fetched on first use: a server that never goes quiet needs no extra context.
  let collect = params.collect;
  const heapBytes = params.heapBytes ?? (() => process.memoryUsage().heapTotal);
  const quietSamples = Math.max(1, params.quietSamples ?? 2);
  const quietUtilization = params.quietUtilization ?? 0.02;
  const minGrowthBytes = params.minGrowthBytes ?? 4 * 1024 * 1024;

  let baseline = performance.eventLoopUtilization();
  let quiet = 0;
  let heapAfterLast = 0;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, baseline);
    baseline = now;
    if (utilization > quietUtilization) {
      quiet = 0;
      return;
    }
    if (++quiet < quietSamples) return;
    quiet = 0;
    const heapBeforeBytes = heapBytes();
    if (heapBeforeBytes < heapAfterLast + minGrowthBytes) return;
    const started = performance.now();
    collect ??= exposeCollector();
    collect();
    const durationMs = performance.now() - started;
    heapAfterLast = heapBytes();
    // The collection just ran on the event loop; it must not read as the next sample's activity.
    baseline = performance.eventLoopUtilization();
    params.onCompacted?.({ heapBeforeBytes, heapAfterBytes: heapAfterLast, durationMs });
  }, params.intervalMs ?? 500);
  // Watching must never be what keeps the process alive.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * V8's `gc` function, which Node keeps hidden unless started with
 * --expose-gc. Setting the flag at run time makes V8 install it in contexts
 * created afterwards, so one fresh context hands it over.
 */
function exposeCollector(): () => void {
  const global = globalThis as { gc?: unknown };
  let gc = typeof global.gc === "function" ? (global.gc as CollectGarbage) : undefined;
  if (gc === undefined) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as CollectGarbage;
  }
  const collector = gc;
  // "last-resort" is the memory-reducing flavour: it compacts the old generation and shrinks the young one.
  return () => collector({ type: "major", execution: "sync", flavor: "last-resort" });
}
