/**
 * The load generator, run as a child of bench/run.ts so that the load it
 * makes does not share an event loop with the orchestrator or the remote
 * world. Requests are built and signed ahead (on worker threads), then sent
 * when the orchestrator says go. Argument: the key pool size.
 */
import { once } from "node:events";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { emitEvent, serveIpc } from "../ipc.ts";
import { loadKeyPool } from "../world/key-pool.ts";
import { actorUrl, keyIndexOf } from "../world/layout.ts";
import { createNoteActivity, followActivity } from "./activity-builder.ts";
import { getFor, postAll } from "./http-driver.ts";
import type { PreparedRequest } from "./http-driver.ts";
import type { LoadCommands, PrepareCreates, PrepareFollows, PrepareResult } from "./load-protocol.ts";
import type { SignedHeaders, SignJob, SignWorkerData } from "./sign-worker.ts";

const poolSize = Number(process.argv[2] ?? "200");
const pool = await loadKeyPool({ size: poolSize });
const workerData: SignWorkerData = { privateKeyPems: pool.keys.map((key) => key.privateKeyPem) };
const workers = Array.from(
  { length: Math.max(1, Math.min(4, availableParallelism())) },
  () => new Worker(new URL("./sign-worker.ts", import.meta.url), { workerData }),
);
for (const worker of workers) worker.unref();
// Each worker says "ready" once it has loaded; until then the generator is still taking CPU.
await Promise.all(workers.map((worker) => once(worker, "message")));

/** Prepared batches waiting to be sent; at most a few (each can be tens of megabytes), the oldest dropped first. */
const batches = new Map<string, { readonly requests: PreparedRequest[]; readonly result: PrepareResult }>();
const MAX_BATCHES = 3;

serveIpc<LoadCommands>({
  handlers: {
    async prepare(params) {
      const existing = batches.get(params.batch);
      if (existing !== undefined) return existing.result;
      const began = performance.now();
      const jobs = params.kind === "creates" ? createJobs(params) : followJobs(params);
      const requests = await signAll(jobs);
      if (batches.size >= MAX_BATCHES) batches.delete(batches.keys().next().value!);
      const bytes = requests.reduce((sum, request) => sum + request.body.byteLength, 0);
      const result: PrepareResult = {
        prepared: requests.length,
        signMs: performance.now() - began,
        meanBodyBytes: requests.length === 0 ? 0 : bytes / requests.length,
      };
      batches.set(params.batch, { requests, result });
      return result;
    },
    async post({ batch, concurrency, keep }) {
      const prepared = batches.get(batch);
      if (prepared === undefined) throw new Error(`no prepared batch ${batch}`);
      if (keep !== true) batches.delete(batch);
      return postAll({ requests: prepared.requests, concurrency });
    },
    get: (params) => getFor(params),
  },
});
emitEvent({ event: "ready", payload: { signingThreads: workers.length } });

function createJobs(params: PrepareCreates): SignJob[] {
  const published = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  return Array.from({ length: params.count }, (_, i) => {
    const actor = actorUrl({ layout: params.layout, kind: "sender", n: i % params.senders });
    const activity = createNoteActivity({ actor, statusId: `${params.tag}${i}`, published, seed: i });
    return jobFor(actor, params.inbox, activity);
  });
}

function followJobs(params: PrepareFollows): SignJob[] {
  return Array.from({ length: params.count }, (_, i) => {
    const actor = actorUrl({ layout: params.layout, kind: "follower", n: params.firstFollower + i });
    const activity = followActivity({ actor, object: params.followee, followId: `follows/${params.tag}-${i}` });
    return jobFor(actor, params.inbox, activity);
  });
}

function jobFor(actor: string, url: string, activity: Record<string, unknown>): SignJob {
  const name = actor.slice(actor.lastIndexOf("/") + 1);
  return {
    url,
    keyId: `${actor}#main-key`,
    keyIndex: keyIndexOf({ name, poolSize: pool.keys.length }),
    body: Buffer.from(JSON.stringify(activity)),
  };
}

/** Splits the jobs over the workers in chunks and reassembles them in order. */
async function signAll(jobs: readonly SignJob[]): Promise<PreparedRequest[]> {
  const chunkSize = 500;
  const chunks: SignJob[][] = [];
  for (let start = 0; start < jobs.length; start += chunkSize) chunks.push(jobs.slice(start, start + chunkSize));
  const signed: SignedHeaders[] = new Array(chunks.length);
  let next = 0;
  await Promise.all(
    workers.map(async (worker) => {
      while (next < chunks.length) {
        const index = next++;
        signed[index] = await signOn(worker, chunks[index]!);
      }
    }),
  );
  const headers = signed.flat();
  return jobs.map((job, i) => ({ url: job.url, headers: headers[i]!, body: job.body }));
}

function signOn(worker: Worker, jobs: readonly SignJob[]): Promise<SignedHeaders> {
  return new Promise((resolve, reject) => {
    const onMessage = (result: SignedHeaders) => {
      worker.off("error", onError);
      resolve(result);
    };
    const onError = (error: Error) => {
      worker.off("message", onMessage);
      reject(error);
    };
    worker.once("message", onMessage);
    worker.once("error", onError);
    worker.postMessage(jobs);
  });
}
