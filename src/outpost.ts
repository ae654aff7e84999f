/**
 * The composition root: builds a federation context over a store, the job
 * worker that processes inbox and delivery jobs, and the HTTP app, and ties
 * their lifecycles together. The standalone server, the CLI and host
 * applications all start here.
 */
import pino, { type Logger } from "pino";
import { instanceActor } from "./federation/actors/instance-actor.ts";
import { resolveConfig, type FederationConfig, type FederationContext } from "./federation/context.ts";
import { DELIVERY_QUEUE, handleDeliveryJob } from "./federation/delivery/delivery-job.ts";
import { INBOX_PLUGIN_QUEUE, handleInboxPluginJob } from "./federation/inbox/plugin-runner.ts";
import type { InboxPlugin } from "./federation/inbox/plugins.ts";
import { INBOX_QUEUE, handleInboxJob } from "./federation/inbox/process.ts";
import { createWorker, type JobWorker } from "./federation/queue/worker.ts";
import { createHttpApp, isUnmatchedResponse, UNMATCHED_HEADER, type RateLimitSettings } from "./http/app.ts";
import { createLocalUris } from "./protocol/uris.ts";
import { createSqlStore } from "./store/sql-store.ts";
import type { Store } from "./store/store.ts";

/** Everything Outpost can be configured with; only `origin` is required. */
export interface OutpostOptions {
  /** The public origin, e.g. `https://example.com`. */
  readonly origin: string;
  /** ActivityPub routes live under this path; WebFinger, host-meta, NodeInfo and profile pages stay at the root. */
  readonly prefix?: string;
  /** Default: a SQL store from `databaseUrl`, or SQLite in `dataDir`. */
  readonly store?: Store;
  /** `postgres://…`, a SQLite file path, or `:memory:`. */
  readonly databaseUrl?: string;
  /** Where the default SQLite database lives; default "./data". */
  readonly dataDir?: string;
  /** Default: pino at OUTPOST_LOG_LEVEL, else info. */
  readonly logger?: Logger;
  /** The network; default `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch;
  readonly plugins?: readonly InboxPlugin[];
  /** E.g. allowPrivateAddresses or the signature window. */
  readonly config?: Partial<FederationConfig>;
  /** "in-process" (default): `start()` runs the inbox and delivery workers here. "none": another process does. */
  readonly workers?: "in-process" | "none";
  /** Take client addresses from X-Forwarded-For (only behind a proxy that sets it). */
  readonly trustProxy?: boolean;
  /** Rate limits per client address; `false` turns them off. */
  readonly rateLimits?: RateLimitSettings | false;
  /** The clock; tests replace it. */
  readonly now?: () => Date;
}

/** Optional facts about a request that a `Request` cannot carry. */
export interface RequestInfo {
  /** The peer's address, for rate limits and logs. */
  readonly remoteAddress?: string;
}

/** A configured Outpost. */
export interface Outpost {
  readonly ctx: FederationContext;
  readonly store: Store;
  /** Answers Outpost's routes; undefined for any other request so a host app can fall through. */
  fetch(request: Request, info?: RequestInfo): Promise<Response | undefined>;
  /** Like fetch, but 404 for other requests (the standalone server). */
  handle(request: Request, info?: RequestInfo): Promise<Response>;
  /** Starts the in-process workers (nothing with `workers: "none"`). */
  start(): Promise<void>;
  /** Stops the workers (finishing or releasing claimed jobs); closes the store if Outpost opened it. */
  stop(): Promise<void>;
  /** Processes every due job now, including jobs those jobs queue (CLI, tests). */
  runJobsUntilIdle(): Promise<void>;
}

/** Builds an Outpost: context, worker, instance actor and HTTP app. */
export async function createOutpost(options: OutpostOptions): Promise<Outpost> {
  const config = resolveConfig({
    ...options.config,
    origin: options.origin,
    prefix: options.prefix ?? options.config?.prefix,
  });
  const ownsStore = options.store === undefined;
  const store = options.store ?? (await createSqlStore({ url: options.databaseUrl, dataDir: options.dataDir ?? "./data" }));
  const logger = options.logger ?? pino({ level: process.env.OUTPOST_LOG_LEVEL ?? "info" });
  const inProcess = (options.workers ?? "in-process") === "in-process";

  // The worker needs the context and the context notifies the worker; the cycle is closed after both exist.
  let worker: JobWorker | undefined;
  const ctx: FederationContext = {
    store,
    uris: createLocalUris({ origin: config.origin, prefix: config.prefix }),
    config,
    logger,
    now: options.now ?? (() => new Date()),
    fetch: options.fetch ?? globalThis.fetch,
    plugins: options.plugins ?? [],
    jobsQueued: () => worker?.notify(),
  };
  worker = createWorker(ctx, {
    handlers: {
      [INBOX_QUEUE]: handleInboxJob,
      [DELIVERY_QUEUE]: handleDeliveryJob,
      [INBOX_PLUGIN_QUEUE]: handleInboxPluginJob,
    },
  });

  try {
    // Remote fetches are signed as the instance actor, so it must exist before the first one.
    await instanceActor(ctx);
  } catch (error) {
    if (ownsStore) await store.close();
    throw error;
  }

  const app = createHttpApp({ ctx, trustProxy: options.trustProxy, rateLimits: options.rateLimits });
  const jobs = worker;
  let started = false;
  let stopped = false;

  const dispatch = async (request: Request, info: RequestInfo | undefined): Promise<Response> =>
    app.fetch(request, { remoteAddress: info?.remoteAddress });

  return {
    ctx,
    store,
    async fetch(request, info) {
      const response = await dispatch(request, info);
      return isUnmatchedResponse(response) ? undefined : response;
    },
    async handle(request, info) {
      const response = await dispatch(request, info);
      if (!isUnmatchedResponse(response)) return response;
      const headers = new Headers(response.headers);
      headers.delete(UNMATCHED_HEADER);
      headers.set("Content-Type", "application/json; charset=utf-8");
      return new Response(request.method === "HEAD" ? null : JSON.stringify({ error: "not found" }), {
        status: 404,
        headers,
      });
    },
    async start() {
      if (stopped) throw new Error("this Outpost was stopped; create a new one");
      if (started || !inProcess) return;
      started = true;
      jobs.start();
      logger.debug("workers started");
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (started) await jobs.stop();
      started = false;
      if (ownsStore) await store.close();
    },
    runJobsUntilIdle: () => jobs.runUntilIdle(),
  };
}
