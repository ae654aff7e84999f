/**
 * What Outpost must reach at the full sizes, on a 2-core machine shared with
 * the load generator and the remote world, where one core signs about 1,450
 * RSA-2048 signatures a second. The machine's speed moves from hour to hour
 * (calibration.ts measures it at each end of a run), so the table marks each
 * target met or missed and the speed lines say how the run's machine compares
 * with that one.
 */
import type { FigureSpec } from "./figures.ts";
import type { WorkloadName } from "./options.ts";

/** RSA-2048 signatures a second on one core of the machine the targets assume. */
export const TARGET_MACHINE_SIGNATURES_PER_SECOND = 1450;

/** Per workload, the figures that have a target, by figure key; the figure's `better` says which side of it counts. */
export const TARGETS: Readonly<Partial<Record<WorkloadName, Readonly<Record<string, number>>>>> = {
  footprint: { startupMs: 500, idleRssMb: 100, peakIngestRssMb: 300 },
  ingest: { p99Ms: 50, storedPerSecond: 4000 },
  follow: { followsPerSecond: 400 },
  fanout: { seconds: 0.5 },
  wide: { seconds: 10 },
  reads: { actorRps: 10_000, webfingerRps: 10_000 },
  collection: { page1P99Ms: 5, deepP99Ms: 5 },
};

/** The target of one figure, if it has one. */
export function targetOf(workload: WorkloadName, figure: string): number | undefined {
  return TARGETS[workload]?.[figure];
}

/** Whether a measured value reaches its target; reaching it exactly counts. */
export function meetsTarget(value: number, target: number, better: FigureSpec["better"]): boolean {
  return better === "higher" ? value >= target : value <= target;
}

/** How the machine compares with the one the targets assume, e.g. `0.96×`. */
export function speedAgainstTargetMachine(signaturesPerSecond: number): string {
  return `${(signaturesPerSecond / TARGET_MACHINE_SIGNATURES_PER_SECOND).toFixed(2)}×`;
}
