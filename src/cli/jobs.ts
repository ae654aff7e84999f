/**
 * `outpost jobs stats`: the background job queue at a glance, per queue, for
 * monitoring a deployment (a backlog that grows, deliveries given up, hosts
 * backed off). `--json` prints the same for scripts and monitoring agents.
 */
import type { Command } from "commander";
import { readJobStats, type JobStats } from "../store/job-stats.ts";
import { configOf, println, type CliIo } from "./command-kit.ts";
import { openCliStore } from "./runtime.ts";
import { formatTable } from "./table.ts";

/** Registers `jobs` and its subcommands on the program. */
export function registerJobsCommands(params: { readonly program: Command; readonly io: CliIo }): void {
  const { program, io } = params;
  const jobs = program.command("jobs").description("the background job queue");
  jobs
    .command("stats")
    .description("pending, running and failed jobs per queue, and backed-off hosts")
    .option("--json", "print JSON instead of a table")
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = configOf({ command, io });
      const store = await openCliStore({ config });
      let stats: JobStats;
      const now = new Date();
      try {
        stats = await readJobStats({ db: store.db, now });
      } finally {
        await store.close();
      }
      if (options.json === true) {
        println({ to: io.stdout, line: JSON.stringify({ at: now.toISOString(), ...stats }) });
        return;
      }
      for (const line of formatJobStats({ stats, now })) println({ to: io.stdout, line });
    });
}

/** What {@link formatJobStats} lays out. */
export interface FormatJobStatsParams {
  readonly stats: JobStats;
  readonly now: Date;
}

/** The human report of `jobs stats`. */
export function formatJobStats(params: FormatJobStatsParams): string[] {
  const { stats, now } = params;
  const lines: string[] = [];
  if (stats.queues.length === 0) {
    lines.push("No jobs.");
  } else {
    const rows = stats.queues.map((queue) => [
      queue.queue,
      String(queue.due),
      String(queue.scheduled),
      String(queue.running),
      String(queue.failed),
      String(queue.done),
      queue.oldestDueAt === null ? "-" : waitedFor({ since: queue.oldestDueAt, now }),
    ]);
    lines.push(formatTable({ header: ["Queue", "Due", "Scheduled", "Running", "Failed", "Done", "Oldest due waits"], rows }));
  }
  lines.push(`Backed-off hosts: ${stats.backedOffHosts}`);
  return lines;
}

function waitedFor(params: { readonly since: string; readonly now: Date }): string {
  const seconds = Math.max(0, Math.round((params.now.getTime() - Date.parse(params.since)) / 1000));
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}
