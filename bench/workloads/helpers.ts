/** Small helpers the workloads share: reading documents, waiting for counts, measuring CPU. */
import { nowMs, sleep } from "../clock.ts";
import { cpuSeconds } from "../proc-stats.ts";
import type { ServerCounts } from "../servers/control-protocol.ts";
import type { RunningTarget } from "../servers/target.ts";

const ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"';

/** Parameters of {@link fetchDocument}. */
export interface FetchDocumentParams {
  readonly url: string;
}

/** GETs an ActivityPub document; throws unless the answer is a 200 with JSON. */
export async function fetchDocument(params: FetchDocumentParams): Promise<Record<string, unknown>> {
  const response = await fetch(params.url, { headers: { accept: ACCEPT }, signal: AbortSignal.timeout(30_000) });
  if (response.status !== 200) throw new Error(`GET ${params.url} answered ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

/** The inboxes of a local actor of the target, read from its document. */
export interface ActorInboxes {
  readonly id: string;
  readonly inbox: string;
  readonly sharedInbox: string;
}

/** Parameters of {@link actorInboxes}. */
export interface ActorInboxesParams {
  readonly target: RunningTarget;
  readonly username: string;
}

/** Reads a local actor's id and inboxes (the shared one falls back to the personal one). */
export async function actorInboxes(params: ActorInboxesParams): Promise<ActorInboxes> {
  const document = await fetchDocument({ url: `${params.target.url}/users/${params.username}` });
  const id = document.id;
  const inbox = document.inbox;
  if (typeof id !== "string" || typeof inbox !== "string") throw new Error(`${params.username} has no id or inbox`);
  const endpoints = document.endpoints as Record<string, unknown> | undefined;
  const shared = typeof endpoints?.sharedInbox === "string" ? endpoints.sharedInbox : inbox;
  return { id, inbox, sharedInbox: shared };
}

/** Parameters of {@link waitForCounts}. */
export interface WaitForCountsParams {
  readonly target: RunningTarget;
  readonly actor?: string;
  readonly until: (counts: ServerCounts) => boolean;
  readonly timeoutMs: number;
  readonly intervalMs: number;
}

/** How waiting went: the last counts seen, when the condition first held (null: never). */
export interface WaitForCountsResult {
  readonly counts: ServerCounts;
  readonly metAt: number | null;
}

/** Polls the target's counts until a condition holds or time runs out. */
export async function waitForCounts(params: WaitForCountsParams): Promise<WaitForCountsResult> {
  const deadline = nowMs() + params.timeoutMs;
  const query = params.actor === undefined ? undefined : { actor: params.actor };
  for (;;) {
    const counts = await params.target.control("GET /counts", null, query);
    if (params.until(counts)) return { counts, metAt: nowMs() };
    if (nowMs() >= deadline) return { counts, metAt: null };
    await sleep({ ms: params.intervalMs });
  }
}

/** Parameters of {@link settle}. */
export interface SettleParams {
  readonly target: RunningTarget;
  readonly timeoutMs: number;
}

/**
 * Waits until the target has no background jobs pending, so that one phase's
 * leftovers do not run into the next one's measurement. Gives up after the
 * timeout; servers that cannot tell (-1) return at once.
 */
export async function settle(params: SettleParams): Promise<void> {
  await waitForCounts({
    target: params.target,
    until: (counts) => counts.jobsPending <= 0,
    timeoutMs: params.timeoutMs,
    intervalMs: 100,
  });
}

/** Parameters of {@link startCpuMeter}. */
export interface StartCpuMeterParams {
  readonly pid: number;
}

/** Starts counting the process's CPU time; `read` answers the seconds used since. */
export function startCpuMeter(params: StartCpuMeterParams): { read(): number } {
  const before = cpuSeconds(params);
  return { read: () => cpuSeconds(params) - before };
}

/** Parameters of {@link boundedTimeout}. */
export interface BoundedTimeoutParams {
  readonly ms: number;
  readonly deadline: number;
}

/** A wait's timeout, shortened so it ends by the deadline (but always at least a second). */
export function boundedTimeout(params: BoundedTimeoutParams): number {
  return Math.max(1_000, Math.min(params.ms, params.deadline - nowMs()));
}

/** Parameters of {@link cutByBudget}. */
export interface CutByBudgetParams {
  readonly deadline: number;
}

/**
 * Whether a wait that did not complete was ended by the time budget rather
 * than by the workload's own timeout. Such a repetition says nothing about
 * the server and is left out instead of recorded as a partial figure.
 */
export function cutByBudget(params: CutByBudgetParams): boolean {
  return nowMs() >= params.deadline - 500;
}
