/**
 * Drives HTTP load over keep-alive connections: a fixed list of prepared
 * POSTs as fast as `concurrency` connections allow, or GETs of one URL for a
 * while. Every request's latency is kept for percentiles.
 *
 * Requests go out through undici's request API. The load generator shares
 * the machine's cores with the server it measures, so its own CPU is taken
 * from the server: node:http's client spent 90-170 us of CPU a request here,
 * undici 30-90 us, about what writing prepared bytes to raw sockets took.
 */
import { Agent, errors } from "undici";
import { nowMs } from "../clock.ts";
import { percentile } from "../stats.ts";

/** A request ready to go: its headers are already signed. */
export interface PreparedRequest {
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Uint8Array;
}

/** What a batch of requests did. */
export interface LoadResult {
  readonly requests: number;
  /** Epoch ms when the first request went out and the last answer came back. */
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Answers by status code; transport failures as `error:<code>`. */
  readonly statuses: Readonly<Record<string, number>>;
}

/** Parameters of {@link postAll}. */
export interface PostAllParams {
  readonly requests: readonly PreparedRequest[];
  readonly concurrency: number;
}

/** Sends every prepared request once, `concurrency` at a time. */
export async function postAll(params: PostAllParams): Promise<LoadResult> {
  const { requests, concurrency } = params;
  const agent = newAgent(concurrency);
  const latencies = new Float64Array(requests.length);
  const statuses: Record<string, number> = {};
  let next = 0;
  const startedAt = nowMs();
  const loop = async () => {
    while (next < requests.length) {
      const index = next++;
      const prepared = requests[index]!;
      const begun = performance.now();
      const status = await send({ agent, method: "POST", url: prepared.url, headers: prepared.headers, body: prepared.body });
      latencies[index] = performance.now() - begun;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, loop));
  const finishedAt = nowMs();
  await agent.destroy();
  return summarize({ latencies: Array.from(latencies), statuses, startedAt, finishedAt });
}

/** Parameters of {@link getFor}. */
export interface GetForParams {
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly concurrency: number;
  /** Requests are started until this much time has passed; those in flight then are awaited. */
  readonly durationMs?: number;
  /** Or: exactly this many requests. */
  readonly count?: number;
}

/** GETs one URL over and over, for a while or a number of times. */
export async function getFor(params: GetForParams): Promise<LoadResult> {
  const agent = newAgent(params.concurrency);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const startedAt = nowMs();
  const deadline = params.durationMs === undefined ? Number.POSITIVE_INFINITY : startedAt + params.durationMs;
  const limit = params.count ?? Number.POSITIVE_INFINITY;
  let started = 0;
  const loop = async () => {
    while (started < limit && nowMs() < deadline) {
      started++;
      const begun = performance.now();
      const status = await send({ agent, method: "GET", url: params.url, headers: params.headers, body: null });
      latencies.push(performance.now() - begun);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: params.concurrency }, loop));
  const finishedAt = nowMs();
  await agent.destroy();
  return summarize({ latencies, statuses, startedAt, finishedAt });
}

interface SummarizeParams {
  readonly latencies: readonly number[];
  readonly statuses: Readonly<Record<string, number>>;
  readonly startedAt: number;
  readonly finishedAt: number;
}

function summarize(params: SummarizeParams): LoadResult {
  const { latencies, statuses, startedAt, finishedAt } = params;
  const seconds = Math.max(1e-9, (finishedAt - startedAt) / 1000);
  return {
    requests: latencies.length,
    startedAt,
    finishedAt,
    requestsPerSecond: latencies.length / seconds,
    p50Ms: percentile({ samples: latencies, p: 50 }),
    p99Ms: percentile({ samples: latencies, p: 99 }),
    statuses,
  };
}

interface SendParams {
  readonly agent: Agent;
  readonly method: "GET" | "POST";
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Uint8Array | null;
}

const REQUEST_TIMEOUT_MS = 60_000;

/** At most `connections` keep-alive connections per origin, one request at a time on each. */
function newAgent(connections: number): Agent {
  return new Agent({ connections, pipelining: 1, headersTimeout: REQUEST_TIMEOUT_MS, bodyTimeout: REQUEST_TIMEOUT_MS });
}

/** One request; resolves with the status code (or `error:<code>`) once the answer is fully read. */
async function send(params: SendParams): Promise<string> {
  const url = new URL(params.url);
  const headers: Record<string, string> = {};
  for (const [name, value] of params.headers) headers[name] = value;
  try {
    const response = await params.agent.request({
      origin: url.origin,
      method: params.method,
      path: `${url.pathname}${url.search}`,
      headers,
      body: params.body ?? null,
    });
    await response.body.dump({ limit: Number.POSITIVE_INFINITY });
    return String(response.statusCode);
  } catch (error) {
    if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) return "error:TIMEOUT";
    const code = (error as { code?: unknown }).code;
    return `error:${typeof code === "string" ? code : "unknown"}`;
  }
}
