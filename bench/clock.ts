/**
 * One clock for every bench process. Timings cross process boundaries (the
 * load generator starts a phase, the remote world sees it finish), so each
 * process reads the same wall-clock-anchored high-resolution time.
 */

/** Milliseconds since the Unix epoch, with sub-millisecond resolution. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Parameters of {@link sleep}. */
export interface SleepParams {
  readonly ms: number;
}

/** Resolves after `ms` milliseconds. */
export function sleep(params: SleepParams): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, params.ms));
}
