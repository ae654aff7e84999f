/**
 * Footprint at start: how long from spawning the server to its first answer
 * to WebFinger, and how much memory it holds once idle. Each repetition is a
 * fresh process on a fresh data directory.
 */
import { sleep } from "../clock.ts";
import { memoryUse } from "../proc-stats.ts";
import type { RunningTarget } from "../servers/target.ts";

const MB = 1024 * 1024;

/** Parameters of {@link measureStart}. */
export interface MeasureStartParams {
  readonly target: RunningTarget;
  readonly idleSeconds: number;
  readonly record: (figure: string, value: number) => void;
}

/** Records the start-up time of a just-started target and, after it idled a moment, its RSS. */
export async function measureStart(params: MeasureStartParams): Promise<void> {
  const { target } = params;
  params.record("startupMs", target.startupMs);
  await sleep({ ms: params.idleSeconds * 1000 });
  params.record("idleRssMb", memoryUse({ pid: target.pid }).rssBytes / MB);
}
