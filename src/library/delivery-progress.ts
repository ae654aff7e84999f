/**
 * Following the deliveries of one published activity, for callers that want
 * to wait until they are done (a CLI progress bar, a "published to N
 * servers" message). The in-process worker reports each delivery's outcome
 * here as it happens, including first attempts that failed and were
 * scheduled for a retry, which the job counts of the store cannot tell
 * apart from deliveries not yet tried. When another process runs the
 * workers, waiting falls back to those counts.
 */
import type { JobOutcome } from "../federation/queue/worker.ts";
import type { JobRecord } from "../store/records.ts";
import type { Store } from "../store/store.ts";

/** Where the deliveries of one activity stand. */
export interface DeliveryProgress {
  readonly delivered: number;
  /** Deliveries given up, or whose attempt failed and that wait for a retry. */
  readonly failed: number;
  readonly total: number;
}

/** Records delivery outcomes by activity. */
export interface DeliveryTracker {
  /** Called by the worker with each delivery job's outcome, once the store has it. */
  record(job: JobRecord, outcome: JobOutcome): void;
  /** Delivered and failed counts of an activity's deliveries seen so far. */
  get(activityUri: string): { readonly delivered: number; readonly failed: number } | undefined;
}

/** Parameters of {@link createDeliveryTracker}. */
export interface CreateDeliveryTrackerParams {
  /** Activities remembered at once; the oldest are forgotten first. */
  readonly maxActivities?: number;
}

const DEFAULT_MAX_ACTIVITIES = 1000;

/** A bounded, in-memory record of delivery outcomes. */
export function createDeliveryTracker(params: CreateDeliveryTrackerParams = {}): DeliveryTracker {
  const max = Math.max(1, params.maxActivities ?? DEFAULT_MAX_ACTIVITIES);
  const groups = new Map<string, { delivered: Set<string>; failed: Set<string> }>();
  return {
    record(job, outcome) {
      if (job.groupKey === null) return;
      let group = groups.get(job.groupKey);
      if (group === undefined) {
        if (groups.size >= max) groups.delete(groups.keys().next().value!);
        group = { delivered: new Set(), failed: new Set() };
        groups.set(job.groupKey, group);
      }
      // A retry that succeeds later moves the delivery from failed to delivered; each job counts once.
      if (outcome.kind === "done") {
        group.failed.delete(job.id);
        group.delivered.add(job.id);
      } else if (!group.delivered.has(job.id)) {
        group.failed.add(job.id);
      }
    },
    get(activityUri) {
      const group = groups.get(activityUri);
      return group === undefined ? undefined : { delivered: group.delivered.size, failed: group.failed.size };
    },
  };
}

/** Parameters of {@link waitForDeliveries}. */
export interface WaitForDeliveriesParams {
  readonly store: Store;
  /** Undefined when this process runs no workers. */
  readonly tracker: DeliveryTracker | undefined;
  readonly activityUri: string;
  /** Deliveries queued for the activity. */
  readonly total: number;
  readonly onProgress?: (delivered: number, failed: number, total: number) => void;
  /** Stops waiting (the deliveries go on). */
  readonly signal?: AbortSignal;
}

const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 250;

/**
 * Resolves once every delivery of the activity was made, given up, or (seen
 * by this process's worker) failed and was scheduled for a retry. Reports
 * each change of the counts to `onProgress`. Rejects with the signal's reason
 * when aborted.
 */
export async function waitForDeliveries(params: WaitForDeliveriesParams): Promise<DeliveryProgress> {
  const { total } = params;
  let last = "";
  let interval = FIRST_POLL_MS;
  for (;;) {
    params.signal?.throwIfAborted();
    const progress = await currentProgress(params);
    const key = `${progress.delivered}/${progress.failed}`;
    if (key !== last) {
      last = key;
      params.onProgress?.(progress.delivered, progress.failed, total);
    }
    if (progress.delivered + progress.failed >= total) return progress;
    await sleep(interval, params.signal);
    interval = Math.min(interval * 2, MAX_POLL_MS);
  }
}

async function currentProgress(params: WaitForDeliveriesParams): Promise<DeliveryProgress> {
  const { total } = params;
  const seen = params.tracker?.get(params.activityUri) ?? { delivered: 0, failed: 0 };
  const counts = await params.store.jobs.countByGroup(params.activityUri);
  if (counts.pending === 0) {
    // Nothing left to run, whichever process ran it.
    const delivered = Math.min(total, Math.max(seen.delivered, counts.done));
    return { delivered, failed: total - delivered, total };
  }
  if (params.tracker !== undefined) {
    const delivered = Math.min(total, seen.delivered);
    return { delivered, failed: Math.min(total - delivered, seen.failed), total };
  }
  // Without a worker here, a delivery waiting for its retry looks like one not yet tried.
  const delivered = Math.min(total, counts.done);
  return { delivered, failed: Math.min(total - delivered, counts.failed), total };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
