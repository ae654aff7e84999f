/**
 * The composition root: builds a federation context over a store, the job
 * worker that processes inbox and delivery jobs, and the HTTP app, and ties
 * their lifecycles together. The standalone server, the CLI and host
 * applications all start here; for host applications it also binds the
 * library API (declared actors, publishing, mentions, follower approval).
 */
import pino, { type Logger } from "pino";
import { instanceActor } from "./federation/actors/instance-actor.ts";
import { resolveConfig, type FederationConfig, type FederationContext } from "./federation/context.ts";
import { DELIVERY_QUEUE, handleDeliveryJob } from "./federation/delivery/delivery-job.ts";
import { acquireSigningPool } from "./federation/signing/signing-pool.ts";
import { platformFetch } from "./federation/fetch/platform-transport.ts";
import { INBOX_PLUGIN_QUEUE, handleInboxPluginJob } from "./federation/inbox/plugin-runner.ts";
import type { InboxPlugin } from "./federation/inbox/plugins.ts";
import { INBOX_QUEUE } from "./federation/inbox/inbox-job.ts";
import type { InteractionOptions } from "./federation/interactions/options.ts";
import { renderInteractions, type RenderInteractionsParams } from "./federation/interactions/render.ts";
import { WEBHOOK_QUEUE } from "./federation/webhooks/webhook-queue.ts";
import { createWorker, type JobHandler, type JobWorker } from "./federation/queue/worker.ts";
import type { QuoteApproval } from "./library/quote-approval.ts";
import { rateLimitsForStore } from "./http/middleware/rate-limit.ts";
import { createHttpApp, isUnmatchedResponse, UNMATCHED_HEADER, type CreateHttpAppParams, type RateLimitSettings } from "./http/app.ts";
import { syncDeclaredActors, type ActorDeclaration, type DeclaredActorSync } from "./library/declared-actors.ts";
import { createDeliveryTracker } from "./library/delivery-progress.ts";
import type { FollowerApproval } from "./library/follower-approval.ts";
import { createOn, type On } from "./library/inbox-handlers.ts";
import type { KeyInput } from "./library/keys.ts";
import type { ExtractedMentions } from "./library/mentions.ts";
import { objectResponse } from "./library/object-response.ts";
import type { Publishing } from "./library/publishing.ts";
import { lazyMethods } from "./library/lazy-methods.ts";
import { relMeLink } from "./library/rel-me.ts";
import { createLocalUris } from "./protocol/uris.ts";
import { createSqlStore, sqlStoreSiblingOf } from "./store/sql-store.ts";
import type { Store } from "./store/store.ts";
import { threadWriteLockOf } from "./store/thread-write-lock.ts";
import { createInboxOffload, type InboxOffload, type InboxOffloadSettings } from "./federation/inbox/inbox-offload.ts";
import type { InboxThreadData } from "./inbox-thread.ts";
import { localContextExtras } from "./local-context.ts";

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
  /** The network; by default undici's request API on Outpost's own connection pool (see platform-transport.ts). */
  readonly fetch?: typeof globalThis.fetch;
  readonly plugins?: readonly InboxPlugin[];
  /** The site's actor, created on first start and kept in line with this declaration. */
  readonly actor?: ActorDeclaration;
  /** Several declared actors (instead of `actor`). */
  readonly actors?: readonly ActorDeclaration[];
  /** Signing keys by username, for declarations without their own `key`. */
  readonly keys?: Readonly<Record<string, KeyInput>>;
  /** What is kept of replies, likes, boosts and quotes, and who is told (hook, webhooks). */
  readonly interactions?: InteractionOptions;
  /** E.g. allowPrivateAddresses or the signature window. */
  readonly config?: Partial<FederationConfig>;
  /** "in-process" (default): `start()` runs the inbox and delivery workers here. "none": another process does. */
  readonly workers?: "in-process" | "none";
  /**
   * `true` (or settings): inbox processing moves to a thread of its own
   * during bursts of incoming activities (see federation/inbox/inbox-offload.ts),
   * where Outpost can open the store again on that thread and nothing of the
   * host application must run there: no `fetch`, `now` or
   * `interactions.onInteraction` given, no inbox plugin or `on` handler
   * registered. Off by default: the thread costs memory while it runs.
   */
  readonly inboxThread?: boolean | InboxOffloadSettings;
  /** Take client addresses from X-Forwarded-For (only behind a proxy that sets it). */
  readonly trustProxy?: boolean;
  /** Rate limits per client address; `false` turns them off. */
  readonly rateLimits?: RateLimitSettings | false;
  /**
   * Posting from a chat slash command or a script (`POST /api/chat/post`) as
   * one account: `{ actor: username, slackSigningSecret?, bearerSecret?, path? }`.
   * Off unless given.
   */
  readonly chatPost?: CreateHttpAppParams["chatPost"];
  /** The clock; tests replace it. */
  readonly now?: () => Date;
}

/** Optional facts about a request that a `Request` cannot carry. */
export interface RequestInfo {
  /** The peer's address, for rate limits and logs. */
  readonly remoteAddress?: string;
}

/** A configured Outpost. */
export interface Outpost extends Publishing {
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
  /** What this start did to each declared actor (an `updated` profile is sent with `publishActorUpdate`). */
  readonly declaredActors: readonly DeclaredActorSync[];
  /**
   * The ActivityStreams answer for a local object published under the site's
   * own URL (`url`, default the request's), or undefined when the request
   * does not ask for ActivityStreams or there is no such object. `fetch`
   * already does this for requests no route of Outpost's matched.
   */
  objectResponse(request: Request, url?: string): Promise<Response | undefined>;
  /** Finds and resolves the `@user@domain` mentions of a text. */
  extractMentions(text: string): Promise<ExtractedMentions>;
  /** Registers a handler for incoming activities of these types ("*" for all). */
  readonly on: On;
  /** Follow requests of actors that approve followers by hand. */
  readonly followers: FollowerApproval;
  /** Quote requests of actors whose quote policy asks for approval by hand (FEP-044f). */
  readonly quotes: QuoteApproval;
  /** `<link rel="me" href="…">` pointing at the actor's profile, for the site's pages (verified links). */
  relMeLink(username?: string): string;
  /** The HTML block of a local object's replies, likes and boosts, to put under the post on the site. */
  renderInteractions(targetUrl: string, options?: Omit<RenderInteractionsParams, "targetUrl">): Promise<string>;
}

/** A job handler whose module is imported with the first job it runs. */
function lazyJobHandler<M>(load: () => Promise<M>, handlerOf: (module: M) => JobHandler): JobHandler {
  let loading: Promise<M> | undefined;
  return async (context, job) => handlerOf(await (loading ??= load()))(context, job);
}

// Inbox processing (every activity type's handler, some twenty-five modules)
// and webhook delivery load with their first job rather than before the first answer.
const handleInboxJob = lazyJobHandler(() => import("./federation/inbox/process.ts"), (module) => module.handleInboxJob);
const handleWebhookJob = lazyJobHandler(() => import("./federation/webhooks/webhook-job.ts"), (module) => module.handleWebhookJob);

/** The inbox thread's slot of the store's write lock (the process's own is 0). */
const INBOX_THREAD_LOCK_SLOT = 1;

/** The inbox offload of an Outpost, or undefined where processing cannot leave the process's thread. */
function inboxOffloadOf(params: {
  readonly options: OutpostOptions;
  readonly ctx: FederationContext;
  readonly worker: JobWorker;
  readonly plugins: readonly InboxPlugin[];
}): InboxOffload | undefined {
  const { options, ctx, worker, plugins } = params;
  const sibling = sqlStoreSiblingOf(ctx.store);
  if (options.inboxThread === undefined || options.inboxThread === false) return undefined;
  // Functions of the host application cannot go to another thread, and the thread would not call them.
  const obstacle =
    sibling === undefined
      ? "the store is not a SQL store on a file or server that another thread can open"
      : options.fetch !== undefined
        ? "a fetch was given"
        : options.now !== undefined
          ? "a clock was given"
          : options.interactions?.onInteraction !== undefined
            ? "interactions.onInteraction was given"
            : undefined;
  if (obstacle !== undefined || sibling === undefined) {
    ctx.logger.warn({ component: "inbox", reason: obstacle }, "inbox processing stays on the main thread");
    return undefined;
  }
  const threadData: Omit<InboxThreadData, "idleMs"> = {
    store: sibling.params,
    lockSlot: INBOX_THREAD_LOCK_SLOT,
    config: ctx.config,
    ...(options.interactions === undefined ? {} : { interactions: options.interactions }),
    logLevel: ctx.logger.level,
  };
  try {
    structuredClone(threadData);
  } catch (error) {
    ctx.logger.warn({ component: "inbox", err: error }, "inbox processing stays on the main thread: its settings cannot go to a thread");
    return undefined;
  }
  const extension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const lockBuffer = sibling.params.writeLockBuffer;
  return createInboxOffload({
    ...(options.inboxThread === true ? {} : { settings: options.inboxThread }),
    threadUrl: new URL(`./inbox-thread${extension}`, import.meta.url),
    threadData,
    worker,
    logger: ctx.logger,
    allowed: () => plugins.length === 0,
    // A thread that died holding (or waiting for) the write lock must not keep the process waiting for it.
    onThreadExit: () => {
      if (lockBuffer !== undefined) threadWriteLockOf({ buffer: lockBuffer }).abandon(INBOX_THREAD_LOCK_SLOT);
    },
  });
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
  const declarations = [...(options.actor === undefined ? [] : [options.actor]), ...(options.actors ?? [])];
  // `on` appends to this list after start-up; the context reads it on every activity.
  const plugins: InboxPlugin[] = [...(options.plugins ?? [])];
  const tracker = createDeliveryTracker();

  // The worker needs the context and the context notifies the worker; the cycle is closed after both exist.
  let worker: JobWorker | undefined;
  let offload: InboxOffload | undefined;
  const uris = createLocalUris({ origin: config.origin, prefix: config.prefix });
  const ctx: FederationContext = {
    store,
    uris,
    config,
    logger,
    now: options.now ?? (() => new Date()),
    fetch: options.fetch ?? platformFetch,
    plugins,
    jobsQueued: (queues) => {
      const inbox = queues.includes(INBOX_QUEUE);
      // While the inbox thread runs, the worker here does not claim inbox jobs: a claim would only find none.
      if (!inbox || queues.length > 1 || offload?.running() !== true) worker?.notify();
      if (inbox) offload?.notify();
    },
    ...(options.interactions === undefined ? {} : { interactions: options.interactions }),
    ...localContextExtras({ store, uris }),
  };
  worker = createWorker(ctx, {
    handlers: {
      [INBOX_QUEUE]: handleInboxJob,
      [DELIVERY_QUEUE]: handleDeliveryJob,
      [INBOX_PLUGIN_QUEUE]: handleInboxPluginJob,
      [WEBHOOK_QUEUE]: handleWebhookJob,
    },
    // Noted for callers waiting for their deliveries, once the store has them: a caller told
    // "delivered or scheduled for a retry" then finds the jobs in that state.
    onOutcome: (job, outcome) => {
      if (job.queue === DELIVERY_QUEUE) tracker.record(job, outcome);
    },
    onClaimed: (jobs) => offload?.noteClaimed(jobs),
  });
  offload = inProcess ? inboxOffloadOf({ options, ctx, worker, plugins }) : undefined;

  // On a first start each declared actor needs an RSA key, generated on libuv's threads while the
  // main thread goes on; the server answers once they are stored.
  let declaredActors: DeclaredActorSync[];
  try {
    declaredActors = await syncDeclaredActors(ctx, { declarations, ...(options.keys === undefined ? {} : { keys: options.keys }) });
  } catch (error) {
    if (ownsStore) await store.close();
    throw error;
  }
  // The instance actor signs remote fetches and is served like any actor, and every use of it
  // waits for it (instance-actor.ts), so the first answer need not: on a first start its key is
  // made after the declared actors', not beside them while the rest of the start needs the cores
  // (docs/performance.md, Footprint). A failure here is retried by the next use.
  const instanceReady = instanceActor(ctx).then(
    () => undefined,
    (error: unknown) => ctx.logger.error({ err: error }, "could not make the instance actor"),
  );

  const app = createHttpApp({
    ctx,
    trustProxy: options.trustProxy,
    // On a shared database, processes share their counters: a client's budget is counted once.
    rateLimits: rateLimitsForStore({ store, settings: options.rateLimits }),
    dataDir: options.dataDir ?? "./data",
    ...(options.chatPost === undefined ? {} : { chatPost: options.chatPost }),
  });
  const jobs = worker;
  // Outgoing signatures are made on threads shared by every Outpost of the process; they start on first use.
  const signingPool = acquireSigningPool();
  let started = false;
  let stopped = false;

  const dispatch = async (request: Request, info: RequestInfo | undefined): Promise<Response> => {
    const response = await app.fetch(request, { remoteAddress: info?.remoteAddress });
    if (!isUnmatchedResponse(response)) return response;
    // Objects published under the site's own URLs are Outpost's to serve to other servers.
    return (await objectResponse(ctx, { request })) ?? response;
  };
  const onlyActor = declarations.length === 1 ? declaredActors[0]?.username : undefined;
  // The publishing, approval and mention APIs load with their first call (see lazy-methods.ts).
  const publishing = lazyMethods<Publishing>({
    load: async () =>
      (await import("./library/publishing.ts")).createPublishing(ctx, { defaultActor: () => onlyActor, tracker: inProcess ? tracker : undefined }),
    methods: { publishObject: true, publishActivity: true, like: true, announce: true, follow: true, undo: true, publishActorUpdate: true },
  });
  const followers = lazyMethods<FollowerApproval>({
    load: async () => (await import("./library/follower-approval.ts")).createFollowerApproval(ctx),
    methods: { pending: true, accept: true, reject: true },
  });
  const quotes = lazyMethods<QuoteApproval>({
    load: async () => (await import("./library/quote-approval.ts")).createQuoteApproval(ctx),
    methods: { pending: true, approve: true, reject: true, revoke: true },
  });

  return {
    ...publishing,
    ctx,
    store,
    declaredActors,
    objectResponse: (request, url) => objectResponse(ctx, { request, ...(url === undefined ? {} : { url }) }),
    extractMentions: async (text) => (await import("./library/mentions.ts")).extractMentions(ctx, { text }),
    on: createOn({ plugins }),
    followers,
    quotes,
    relMeLink(username) {
      const name = username ?? onlyActor;
      if (name === undefined) throw new TypeError("relMeLink: name the actor; several (or none) are declared");
      return relMeLink({ uris: ctx.uris, username: name });
    },
    renderInteractions: (targetUrl, params) => renderInteractions(ctx, { ...params, targetUrl }),
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
      // Not left writing to a store about to close.
      await instanceReady;
      await offload?.stop();
      if (started) await jobs.stop();
      started = false;
      await signingPool.release();
      if (ownsStore) await store.close();
    },
    runJobsUntilIdle: () => jobs.runUntilIdle(),
  };
}

