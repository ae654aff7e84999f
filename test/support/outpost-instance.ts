/**
 * A real Outpost for end-to-end tests: its HTTP server listening on a free
 * loopback port, its own fresh database, and its workers running in the
 * process, so that activities travel between servers exactly as they would
 * in production — over sockets, signed, queued and retried.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { signRequest } from "../../src/crypto/verify-request.ts";
import { createLocalActor, type CreateLocalActorParameters } from "../../src/federation/actors/local-actors.ts";
import type { FederationConfig, FederationContext } from "../../src/federation/context.ts";
import { serveOutpost, type RunningServer } from "../../src/http/node-server.ts";
import { createOutpost, type Outpost } from "../../src/outpost.ts";
import type { ActorRecord } from "../../src/store/records.ts";
import type { Store } from "../../src/store/store.ts";
import { loopbackOnlyFetch } from "./loopback-fetch.ts";
import { openTestStore } from "./test-store.ts";
import { waitFor, type Probe, type WaitForOptions } from "./wait-for.ts";

/** Parameters of {@link startOutpostInstance}. */
export interface StartOutpostInstanceParams {
  /** Names the instance in logs and its temporary directory; default "outpost". */
  readonly name?: string;
  /** Whether actors made with `createActor` approve followers by hand unless told otherwise. */
  readonly manualApproval?: boolean;
  /** Configuration beyond the origin and `allowPrivateAddresses: true`. */
  readonly config?: Partial<Omit<FederationConfig, "origin">>;
  /** Serve ActivityPub routes under this path. */
  readonly prefix?: string;
}

/** Options of {@link OutpostInstance.createActor}. */
export type CreateActorOptions = Omit<CreateLocalActorParameters, "username">;

/** The signature scheme a request carried, as seen on the wire. */
export type WireSignatureScheme = "rfc9421" | "draft-cavage" | "none";

/** One request the instance answered, for assertions about what peers sent. */
export interface AnsweredRequest {
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  readonly scheme: WireSignatureScheme;
  readonly status: number;
  /** The request body as text (POSTs only). */
  readonly body: string | null;
}

/** A running Outpost. */
export interface OutpostInstance {
  readonly name: string;
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** `127.0.0.1:<port>`, the host part of handles. */
  readonly host: string;
  readonly outpost: Outpost;
  readonly ctx: FederationContext;
  readonly store: Store;
  /** Every request the server answered, oldest first. */
  readonly requests: readonly AnsweredRequest[];
  /** Creates a local actor; throws if it cannot. */
  createActor(username: string, options?: CreateActorOptions): Promise<ActorRecord>;
  /** The current record of a local actor (records change as the actor acts); throws if there is none. */
  actor(username: string): Promise<ActorRecord>;
  /** `username@127.0.0.1:<port>`. */
  handleOf(username: string): string;
  /**
   * GETs a URL of any server as ActivityStreams, unsigned (`as` null) or
   * signed as one of this instance's local actors.
   */
  getAs(as: string | null, url: string): Promise<Response>;
  /** Polls until the probe answers a value (deliveries are asynchronous). */
  waitFor<T>(probe: Probe<T>, options?: WaitForOptions): Promise<T>;
  /** Stops the workers and the server, closes the store and removes the temporary directory. */
  close(): Promise<void>;
}

const ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"';
/** Bounds the request log, so a chatty test cannot grow it without end. */
const MAX_LOGGED_REQUESTS = 2000;

/**
 * Starts an Outpost on `127.0.0.1` with a free port. The port is bound
 * before Outpost is built, because the origin (and so every URI Outpost
 * mints) must be known when it is created; until then requests get 503.
 * The store is SQLite in a fresh temporary directory, or, under
 * OUTPOST_TEST_BACKEND=postgres, a fresh schema of the test database that is
 * dropped when the instance closes.
 */
export async function startOutpostInstance(params: StartOutpostInstanceParams = {}): Promise<OutpostInstance> {
  const name = params.name ?? "outpost";
  const requests: AnsweredRequest[] = [];
  let target: Outpost | undefined;
  const server: RunningServer = await serveOutpost({
    outpost: {
      async handle(request, info) {
        if (target === undefined) return new Response("starting", { status: 503 });
        const body = request.method === "POST" ? await request.clone().text() : null;
        const response = await target.handle(request, info);
        if (requests.length >= MAX_LOGGED_REQUESTS) requests.shift();
        const url = new URL(request.url);
        requests.push({
          method: request.method,
          path: url.pathname + url.search,
          scheme: schemeOf(request.headers),
          status: response.status,
          body,
        });
        return response;
      },
    },
  });
  const origin = server.url;
  const dataDir = await mkdtemp(join(tmpdir(), `outpost-e2e-${name}-`));
  let store: Store | undefined;
  try {
    store = await openTestStore({ dataDir, poolSize: 8 });
    const outpost = await createOutpost({
      origin,
      prefix: params.prefix,
      store,
      logger: pino({ level: process.env.OUTPOST_TEST_LOG ?? "silent", name }),
      fetch: loopbackOnlyFetch(),
      config: { ...params.config, allowPrivateAddresses: true },
      workers: "in-process",
      // Every peer of a test comes from 127.0.0.1; limits per address would throttle the test, not an attacker.
      rateLimits: false,
    });
    await outpost.start();
    target = outpost;
    return instance({ name, origin, outpost, server, store, dataDir, requests, manualApproval: params.manualApproval ?? false });
  } catch (error) {
    await server.close();
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

interface InstanceParts {
  readonly name: string;
  readonly origin: string;
  readonly outpost: Outpost;
  readonly server: RunningServer;
  readonly store: Store;
  readonly dataDir: string;
  readonly requests: AnsweredRequest[];
  readonly manualApproval: boolean;
}

function instance(parts: InstanceParts): OutpostInstance {
  const { outpost, store } = parts;
  const ctx = outpost.ctx;
  const host = new URL(parts.origin).host;
  let closed = false;
  return {
    name: parts.name,
    origin: parts.origin,
    host,
    outpost,
    ctx,
    store,
    requests: parts.requests,
    async createActor(username, options = {}) {
      const created = await createLocalActor(ctx, {
        manuallyApprovesFollowers: parts.manualApproval,
        ...options,
        username,
      });
      if (!created.ok) throw new Error(`${parts.name}: cannot create ${username}: ${created.message}`);
      return created.actor;
    },
    async actor(username) {
      const actor = await store.actors.getLocal(username);
      if (actor === null || !actor.local) throw new Error(`${parts.name} has no actor ${username}`);
      return actor;
    },
    handleOf: (username) => `${username}@${host}`,
    async getAs(as, url) {
      const headers = new Headers({ accept: ACCEPT });
      if (as === null) return fetch(url, { headers });
      const keyId = ctx.uris.key(as);
      const key = await store.keys.get(keyId);
      if (key === null || key.privateKeyPem === null) throw new Error(`${parts.name}: ${as} has no private key`);
      const signed = signRequest({ method: "GET", url, headers, keyId, privateKey: key.privateKeyPem, scheme: "draft-cavage" });
      return fetch(url, { headers: signed });
    },
    waitFor: (probe, options) => waitFor(probe, options),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await outpost.stop();
      } finally {
        await parts.server.close();
        await store.close();
        await rm(parts.dataDir, { recursive: true, force: true });
      }
    },
  };
}

function schemeOf(headers: Headers): WireSignatureScheme {
  if (headers.has("signature-input")) return "rfc9421";
  if (headers.has("signature") || headers.get("authorization")?.toLowerCase().startsWith("signature ") === true) {
    return "draft-cavage";
  }
  return "none";
}
