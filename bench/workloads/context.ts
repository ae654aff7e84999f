/** What every workload runs with: the helpers, the server under test, and where to put figures. */
import type { IpcClient } from "../ipc.ts";
import type { LoadCommands } from "../load/load-protocol.ts";
import type { BenchOptions, WorkloadName } from "../options.ts";
import type { RunningTarget } from "../servers/target.ts";
import type { WorldLayout } from "../world/layout.ts";
import type { WorldCommands } from "../world/world-protocol.ts";

/** The context of one repetition of a workload on one server. */
export interface WorkloadContext {
  /** Which repetition (round) this is, from 0. */
  readonly rep: number;
  /** Epoch ms by which this server's share of the run must be over; waits never go past it. */
  readonly deadline: number;
  readonly options: BenchOptions;
  readonly layout: WorldLayout;
  readonly world: IpcClient<WorldCommands>;
  readonly load: IpcClient<LoadCommands>;
  readonly target: RunningTarget;
  /** Unique to this run, so ids never collide with an earlier run's. */
  readonly runTag: string;
  /** Records one repetition's value of a figure. */
  readonly record: (workload: WorkloadName, figure: string, value: number) => void;
  /** Something a reader of the table should know (an incomplete repetition, say). */
  readonly note: (workload: WorkloadName, message: string) => void;
  /** Progress, on stderr. */
  readonly log: (message: string) => void;
}
