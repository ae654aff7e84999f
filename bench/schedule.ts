/**
 * How the time budget is shared out between the servers' turns. A round gives
 * every server one turn; a turn runs each workload that still fits before the
 * turn's deadline. The targets judge one server, Outpost, so its figures are
 * the ones that must come from every round: the time its later turns are
 * expected to take is held back from each turn before them, and any other
 * server's turn gets the rest. A slow reference server then loses its own
 * workloads to the budget instead of Outpost's.
 */

/** One turn: a server's part of a round. */
export interface Turn {
  readonly server: string;
  readonly round: number;
}

/** What the deadline of the next turn depends on. */
export interface TurnDeadlineParams {
  readonly nowMs: number;
  /** When the whole run must end. */
  readonly deadlineMs: number;
  /** The turns after this one, in order. */
  readonly later: readonly Turn[];
  /** The server the targets judge; none when it is not in the run. */
  readonly judged: string | undefined;
  /** How long each server's most recent whole turn took (one cut short by the budget says too little). */
  readonly lastTurnMs: ReadonlyMap<string, number>;
  /** How long a turn of the judged server is expected to take before one has been measured. */
  readonly firstGuessMs: number;
}

/**
 * Each turn held back for is counted a quarter longer than the last: the
 * machine's speed moves within a run (one run here measured one core signing
 * 3,795 signatures a second at its start and 1,621 at its end).
 */
const RESERVE_MARGIN = 1.25;

/** When the next turn must end: what is left of the run, less what the judged server's later turns need. */
export function turnDeadline(params: TurnDeadlineParams): number {
  const { nowMs, deadlineMs, later, judged, lastTurnMs, firstGuessMs } = params;
  const reserved = later
    .filter((turn) => turn.server === judged)
    .reduce((sum, turn) => sum + (lastTurnMs.get(turn.server) ?? firstGuessMs) * RESERVE_MARGIN, 0);
  return nowMs + Math.max(0, deadlineMs - nowMs - reserved);
}

/** Every turn of a run in order: the server that went second in a round goes first in the next. */
export function turnOrder(params: { readonly servers: readonly string[]; readonly rounds: number }): Turn[] {
  const turns: Turn[] = [];
  for (let round = 0; round < params.rounds; round++) {
    const order = round % 2 === 0 ? params.servers : [...params.servers].reverse();
    for (const server of order) turns.push({ server, round });
  }
  return turns;
}
