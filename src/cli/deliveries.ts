/**
 * After a command published an activity, delivers it from this process so
 * the user sees it leave: every job that is due runs now, and a progress bar
 * follows the activity's delivery jobs. Deliveries a remote server refused
 * for now stay queued with their retry time, for `outpost serve` to finish.
 */
import type { Outpost } from "../outpost.ts";
import { progressBars } from "./progress-bars.ts";

/** How an activity's deliveries ended in this run. */
export interface DeliveryReport {
  /** Delivery jobs of the activity. */
  readonly total: number;
  readonly delivered: number;
  /** Given up for good (e.g. the inbox answered 4xx). */
  readonly failed: number;
  /** Scheduled for a later attempt. */
  readonly retrying: number;
}

/** What {@link runDeliveries} watches and where it reports. */
export interface RunDeliveriesParams {
  readonly outpost: Outpost;
  /** The activity whose delivery jobs are grouped under its URI. */
  readonly activityUri: string;
  /** A progress bar is drawn only when this stream is a terminal. */
  readonly output: NodeJS.WriteStream;
  /** How often the bar is refreshed. */
  readonly refreshMs?: number;
}

/** Runs every due job now and reports on the deliveries of one activity. */
export async function runDeliveries(params: RunDeliveriesParams): Promise<DeliveryReport> {
  const { outpost, activityUri, output } = params;
  const count = async (): Promise<DeliveryReport> => {
    const counts = await outpost.store.jobs.countByGroup(activityUri);
    return {
      total: counts.pending + counts.done + counts.failed,
      delivered: counts.done,
      failed: counts.failed,
      retrying: counts.pending,
    };
  };

  const before = await count();
  const bar =
    output.isTTY === true && before.total > 0
      ? new (progressBars().SingleBar)({
          stream: output,
          format: "Delivering {bar} {value}/{total} inboxes",
          hideCursor: true,
          clearOnComplete: true,
        })
      : undefined;
  bar?.start(before.total, before.delivered + before.failed);

  let timer: NodeJS.Timeout | undefined;
  if (bar !== undefined) {
    timer = setInterval(() => {
      count().then(
        (now) => bar.update(now.delivered + now.failed),
        () => {
          // A refresh that failed only leaves the bar behind; the final count below reports.
        },
      );
    }, params.refreshMs ?? 150);
  }
  try {
    await outpost.runJobsUntilIdle();
  } finally {
    if (timer !== undefined) clearInterval(timer);
  }
  const after = await count();
  if (bar !== undefined) {
    bar.update(after.delivered + after.failed);
    bar.stop();
  }
  return after;
}

/** A one-line human summary of a {@link DeliveryReport}. */
export function describeDeliveries(report: DeliveryReport): string {
  if (report.total === 0) return "No inbox to deliver to.";
  const parts = [`Delivered to ${report.delivered} of ${report.total} ${report.total === 1 ? "inbox" : "inboxes"}`];
  if (report.failed > 0) parts.push(`${report.failed} failed for good`);
  if (report.retrying > 0) {
    parts.push(
      `${report.retrying} ${report.retrying === 1 ? "delivery" : "deliveries"} will be retried by the server (\`outpost serve\`)`,
    );
  }
  return `${parts.join("; ")}.`;
}
