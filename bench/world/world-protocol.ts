/** What the orchestrator can ask of the remote world over IPC. */

/** How long to wait and for how many arrivals. */
export interface ArrivalWait {
  readonly timeoutMs: number;
}

/** The outcome of waiting for arrivals: how many came, and when the last needed one did. */
export interface ArrivalResult {
  readonly count: number;
  readonly expected: number;
  /** Epoch ms of the arrival that completed the set, or of the last arrival if it never completed. */
  readonly lastAt: number | null;
  readonly complete: boolean;
}

/** Counters since the world started. */
export interface WorldStats {
  readonly verified: number;
  readonly rejected: number;
  /** Rejections by reason, e.g. `invalidSignature: 3`. */
  readonly rejectReasons: Readonly<Record<string, number>>;
  readonly followsAnswered: number;
  readonly acceptFailures: number;
  readonly lastAcceptError: string | null;
}

/** The world's commands. */
export type WorldCommands = {
  /** Which server is under test: keys are fetched from this origin only; earlier tallies are forgotten. */
  configure: { params: { readonly targetOrigin: string }; result: { readonly ok: true } };
  /** Waits until the Create (by activity or object id) has reached `origins` distinct origins. */
  awaitCreate: { params: ArrivalWait & { readonly id: string; readonly origins: number }; result: ArrivalResult };
  /** Waits until `count` distinct Follows were accepted by `actor` (the target's local actor). */
  awaitAccepts: { params: ArrivalWait & { readonly actor: string; readonly count: number }; result: ArrivalResult };
  stats: { params: Record<string, never>; result: WorldStats };
};

/** Announced once the world listens on every origin. */
export interface WorldReady {
  readonly port: number;
  readonly origins: number;
}
