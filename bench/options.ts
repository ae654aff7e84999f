/**
 * The bench's command line: `--tiny`, `--only <workload>[,…]`, `--reps N`,
 * `--server <name>`, `--budget-minutes M`, and the sizes each workload runs at.
 */
import type { TargetName } from "./servers/target.ts";

/** The workloads, in the order the table lists them. */
export const WORKLOADS = ["ingest", "follow", "fanout", "wide", "reads", "collection", "footprint"] as const;

/** One of {@link WORKLOADS}. */
export type WorkloadName = (typeof WORKLOADS)[number];

/** How big each workload is. */
export interface BenchSizes {
  readonly keyPool: number;
  /** Inbox ingest: remote senders (one origin each), activities, connections. */
  readonly senders: number;
  readonly ingestActivities: number;
  readonly ingestConcurrency: number;
  /** Follow intake and fan-out: followers, the origins they are spread over, connections. */
  readonly followers: number;
  readonly followerOrigins: number;
  readonly followConcurrency: number;
  /** Large fan-out: origins with one follower each. */
  readonly soloOrigins: number;
  /** Reads: seconds per endpoint, connections. */
  readonly readSeconds: number;
  readonly readConcurrency: number;
  /** Followers collection: followers seeded, the deep page's number, requests timed per page. */
  readonly members: number;
  readonly deepPage: number;
  readonly pageSamples: number;
  /** Seconds a server sits idle after start before its memory is read. */
  readonly idleSeconds: number;
  /** Seconds each measurement of the machine's speed takes (see calibration.ts). */
  readonly calibrationSeconds: number;
}

/** The full run. */
export const FULL_SIZES: BenchSizes = {
  keyPool: 200,
  senders: 200,
  ingestActivities: 20_000,
  ingestConcurrency: 64,
  followers: 2_000,
  followerOrigins: 500,
  followConcurrency: 64,
  soloOrigins: 10_000,
  readSeconds: 10,
  readConcurrency: 32,
  members: 1_000_000,
  deepPage: 10_000,
  pageSamples: 200,
  idleSeconds: 3,
  calibrationSeconds: 3,
};

/** `--tiny`: a few dozen requests per workload, to check the harness end to end. */
export const TINY_SIZES: BenchSizes = {
  keyPool: 200,
  senders: 8,
  ingestActivities: 48,
  ingestConcurrency: 8,
  followers: 24,
  followerOrigins: 6,
  followConcurrency: 8,
  soloOrigins: 24,
  readSeconds: 0.5,
  readConcurrency: 4,
  members: 2_000,
  deepPage: 25,
  pageSamples: 12,
  idleSeconds: 0.2,
  calibrationSeconds: 0.3,
};

/** Everything the command line decides. */
export interface BenchOptions {
  readonly tiny: boolean;
  /** Rounds of the whole suite; each round runs every workload once on every server. */
  readonly reps: number;
  /** Wall-clock budget of the whole run in ms; a round or workload that would not fit is left out. */
  readonly budgetMs: number;
  readonly workloads: readonly WorkloadName[];
  readonly servers: readonly TargetName[];
  readonly sizes: BenchSizes;
}

/** The command line read, or why it cannot be. */
export type ParseOptionsResult =
  | { readonly ok: true; readonly options: BenchOptions }
  | { readonly ok: false; readonly reason: "badArgument"; readonly message: string };

/** Parameters of {@link parseOptions}. */
export interface ParseOptionsParams {
  readonly argv: readonly string[];
}

const SERVERS: readonly TargetName[] = ["outpost", "fedify"];
const DEFAULT_BUDGET_MINUTES = 9.5;

/** Reads the arguments after the script name. */
export function parseOptions(params: ParseOptionsParams): ParseOptionsResult {
  let tiny = false;
  let reps: number | null = null;
  let budgetMinutes: number | null = null;
  const workloads: WorkloadName[] = [];
  const servers: TargetName[] = [];
  const bad = (message: string): ParseOptionsResult => ({ ok: false, reason: "badArgument", message });
  const args = [...params.argv];
  while (args.length > 0) {
    const arg = args.shift()!;
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => inline ?? args.shift();
    switch (flag) {
      case "--tiny":
        tiny = true;
        break;
      case "--reps": {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1 || n > 50) return bad("--reps takes a whole number from 1 to 50");
        reps = n;
        break;
      }
      case "--budget-minutes": {
        const n = Number(value());
        if (!Number.isFinite(n) || n < 0) return bad("--budget-minutes takes a number of minutes, 0 for no budget");
        budgetMinutes = n;
        break;
      }
      case "--only": {
        for (const name of (value() ?? "").split(",").filter((part) => part !== "")) {
          if (!(WORKLOADS as readonly string[]).includes(name)) return bad(`unknown workload ${name}; one of ${WORKLOADS.join(", ")}`);
          workloads.push(name as WorkloadName);
        }
        break;
      }
      case "--server": {
        const name = value() ?? "";
        if (!(SERVERS as readonly string[]).includes(name)) return bad(`unknown server ${name}; one of ${SERVERS.join(", ")}`);
        servers.push(name as TargetName);
        break;
      }
      default:
        return bad(`unknown argument ${arg}; use --tiny, --only <workload>, --reps N, --server <name>, --budget-minutes M`);
    }
  }
  return {
    ok: true,
    options: {
      tiny,
      // A tiny run checks the harness; repeating it would only make it slower.
      reps: reps ?? (tiny ? 1 : 3),
      // The full run must end within ten minutes on a two-core machine; half a minute is kept for the rest.
      budgetMs: (budgetMinutes ?? (tiny ? 0 : DEFAULT_BUDGET_MINUTES)) * 60_000 || Number.POSITIVE_INFINITY,
      workloads: workloads.length === 0 ? WORKLOADS : WORKLOADS.filter((name) => workloads.includes(name)),
      servers: servers.length === 0 ? SERVERS : SERVERS.filter((name) => servers.includes(name)),
      sizes: tiny ? TINY_SIZES : FULL_SIZES,
    },
  };
}
