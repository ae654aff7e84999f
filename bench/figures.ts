/**
 * Every figure the table shows, per workload, with which way is better. The
 * table lists all of them for both servers whatever happened, so a missing
 * measurement shows as n/a instead of a missing row.
 */
import type { BenchSizes, WorkloadName } from "./options.ts";

/** One measured quantity. */
export interface FigureSpec {
  readonly key: string;
  readonly label: string;
  readonly better: "higher" | "lower";
}

/** A workload's title and figures. */
export interface WorkloadSpec {
  readonly name: WorkloadName;
  readonly title: string;
  readonly figures: readonly FigureSpec[];
}

const CPU: FigureSpec = { key: "cpuSeconds", label: "server CPU s", better: "lower" };

/** Parameters of {@link workloadSpecs}. */
export interface WorkloadSpecsParams {
  readonly sizes: BenchSizes;
}

/** The specs of every workload, titled with the sizes of this run. */
export function workloadSpecs(params: WorkloadSpecsParams): Readonly<Record<WorkloadName, WorkloadSpec>> {
  const s = params.sizes;
  const n = (value: number) => value.toLocaleString("en-US");
  return {
    footprint: {
      name: "footprint",
      title: "Footprint",
      figures: [
        { key: "startupMs", label: "start → first WebFinger ms", better: "lower" },
        { key: "idleRssMb", label: "idle RSS MB", better: "lower" },
        { key: "peakIngestRssMb", label: "peak RSS in ingest MB", better: "lower" },
      ],
    },
    ingest: {
      name: "ingest",
      title: `Inbox ingest (${n(s.ingestActivities)} Creates from ${n(s.senders)} actors, ${s.ingestConcurrency} conns)`,
      figures: [
        { key: "httpRps", label: "HTTP req/s", better: "higher" },
        { key: "p50Ms", label: "p50 latency ms", better: "lower" },
        { key: "p99Ms", label: "p99 latency ms", better: "lower" },
        { key: "storedPerSecond", label: "stored activities/s (end to end)", better: "higher" },
        CPU,
      ],
    },
    follow: {
      name: "follow",
      title: `Follow intake (${n(s.followers)} followers, ${n(s.followerOrigins)} origins)`,
      figures: [{ key: "followsPerSecond", label: "follows/s until every Accept arrived", better: "higher" }, CPU],
    },
    fanout: {
      name: "fanout",
      title: `Fan-out (${n(s.followers)} followers, ${n(s.followerOrigins)} shared inboxes)`,
      figures: [{ key: "seconds", label: "s until every origin has the Create", better: "lower" }, CPU],
    },
    wide: {
      name: "wide",
      title: `Large fan-out (${n(s.soloOrigins)} origins, no shared inbox)`,
      figures: [{ key: "seconds", label: "s until every inbox has the Create", better: "lower" }, CPU],
    },
    reads: {
      name: "reads",
      title: `Reads (${s.readConcurrency} conns, ${s.readSeconds} s each)`,
      figures: [
        { key: "actorRps", label: "actor document req/s", better: "higher" },
        { key: "actorP99Ms", label: "actor document p99 ms", better: "lower" },
        { key: "webfingerRps", label: "WebFinger req/s", better: "higher" },
        { key: "webfingerP99Ms", label: "WebFinger p99 ms", better: "lower" },
        CPU,
      ],
    },
    collection: {
      name: "collection",
      title: `Followers collection (${n(s.members)} followers)`,
      figures: [
        { key: "page1P99Ms", label: "page 1 p99 ms", better: "lower" },
        { key: "deepP99Ms", label: `page ${n(s.deepPage)} p99 ms`, better: "lower" },
        CPU,
      ],
    },
  };
}
