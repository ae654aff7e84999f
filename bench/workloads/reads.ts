/**
 * Reads: the actor document and WebFinger, each hammered over keep-alive
 * connections for a fixed time; requests per second and p99 latency.
 */
import type { WorkloadContext } from "./context.ts";
import { startCpuMeter } from "./helpers.ts";

/** Runs one read repetition on the context's target. */
export async function runReads(ctx: WorkloadContext): Promise<void> {
  const { target, options, load, rep } = ctx;
  const sizes = options.sizes;
  const host = new URL(target.url).host;
  const endpoints = [
    {
      name: "actor",
      url: `${target.url}/users/bench`,
      headers: [["accept", "application/activity+json"]] as const,
    },
    {
      name: "webfinger",
      url: `${target.url}/.well-known/webfinger?resource=${encodeURIComponent(`acct:bench@${host}`)}`,
      headers: [["accept", "application/jrd+json"]] as const,
    },
  ];
  ctx.log(`${target.spec.label}: reads`);
  let cpuTotal = 0;
  for (const endpoint of endpoints) {
    const cpu = startCpuMeter({ pid: target.pid });
    const result = await load.request("get", {
      url: endpoint.url,
      headers: endpoint.headers,
      concurrency: sizes.readConcurrency,
      durationMs: sizes.readSeconds * 1000,
    });
    cpuTotal += cpu.read();
    const ok = result.statuses["200"] ?? 0;
    ctx.record("reads", `${endpoint.name}Rps`, ok / ((result.finishedAt - result.startedAt) / 1000));
    ctx.record("reads", `${endpoint.name}P99Ms`, result.p99Ms);
    if (ok < result.requests) {
      ctx.note("reads", `round ${rep + 1}: ${endpoint.name} answered ${JSON.stringify(result.statuses)}`);
    }
  }
  ctx.record("reads", "cpuSeconds", cpuTotal);
}
