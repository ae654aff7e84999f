/** What the orchestrator can ask of the load generator over IPC. */
import type { WorldLayout } from "../world/layout.ts";
import type { LoadResult } from "./http-driver.ts";

/** Signed Creates from the world's senders to the target's shared inbox. */
export interface PrepareCreates {
  readonly batch: string;
  readonly kind: "creates";
  readonly count: number;
  /** How many sender actors take turns. */
  readonly senders: number;
  readonly inbox: string;
  /** Makes this batch's ids unique across repetitions and runs. */
  readonly tag: string;
  readonly layout: WorldLayout;
}

/** Signed Follows of one target actor by the world's followers, to that actor's inbox. */
export interface PrepareFollows {
  readonly batch: string;
  readonly kind: "follows";
  readonly count: number;
  /** The number of the first follower (`f<n>`); the batch uses this one and the next `count - 1`. */
  readonly firstFollower: number;
  readonly followee: string;
  readonly inbox: string;
  readonly tag: string;
  readonly layout: WorldLayout;
}

/** How preparing went. */
export interface PrepareResult {
  readonly prepared: number;
  readonly signMs: number;
  readonly meanBodyBytes: number;
}

/** The generator's commands. */
export type LoadCommands = {
  /** Builds and signs a batch; a batch already prepared under the same name is kept as it is. */
  prepare: { params: PrepareCreates | PrepareFollows; result: PrepareResult };
  /** Sends a prepared batch once; forgets it unless `keep` (another server at the same address will get it too). */
  post: { params: { readonly batch: string; readonly concurrency: number; readonly keep?: boolean }; result: LoadResult };
  get: {
    params: {
      readonly url: string;
      readonly headers: ReadonlyArray<readonly [string, string]>;
      readonly concurrency: number;
      readonly durationMs?: number;
      readonly count?: number;
    };
    result: LoadResult;
  };
};
