/**
 * Shared setup for the client API tests: the HTTP app with the client API
 * mounted ahead of the public routes (as the server mounts it), over a fresh
 * in-memory store, a fake network, a temporary media directory, a worker to
 * run queued jobs, and helpers that act as a client would: create a user,
 * get a token, create an actor, post to an outbox.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import type { AccountConfig } from "../../federation/accounts/account-context.ts";
import { createPersonalAccessToken } from "../../federation/accounts/tokens.ts";
import { createUser } from "../../federation/accounts/users.ts";
import { DELIVERY_QUEUE, handleDeliveryJob } from "../../federation/delivery/delivery-job.ts";
import { createFakeNetwork, type FakeNetwork } from "../../federation/fetch/fake-network.test-support.ts";
import { INBOX_QUEUE } from "../../federation/inbox/inbox-job.ts";
import { handleInboxJob } from "../../federation/inbox/process.ts";
import { createWorker, type JobWorker } from "../../federation/queue/worker.ts";
import { createTestContext, type TestContext } from "../../../test/support/federation-context.ts";
import { createHttpApp, UNMATCHED_HEADER } from "../app.ts";
import type { AppEnv } from "../app-env.ts";
import { renderError } from "../errors.ts";
import { createJsonAliasRouting } from "../json-alias.ts";
import { requestContext } from "../middleware/request-context.ts";
import type { ClientApi } from "./client-api.ts";
import { mountClientApi, type MountClientApiParams } from "./mount.ts";

/** The local server's origin in the client API tests. */
export const ORIGIN = "https://outpost.test";

/** A running test server. */
export interface ClientApiTestServer {
  readonly ctx: TestContext;
  readonly api: ClientApi;
  readonly network: FakeNetwork;
  readonly worker: JobWorker;
  readonly mediaDir: string;
  /** Sends a request; `path` is relative to the origin. */
  request(path: string, init?: RequestInit & { address?: string }): Promise<Response>;
  close(): Promise<void>;
}

/** Parameters of {@link createClientApiTestServer}. */
export interface ClientApiTestServerParams {
  readonly config?: Partial<AccountConfig>;
  readonly mount?: Partial<Omit<MountClientApiParams, "ctx">>;
  readonly now?: () => Date;
}

/** A server over a fresh store; close it when done. */
export async function createClientApiTestServer(params: ClientApiTestServerParams = {}): Promise<ClientApiTestServer> {
  const network = createFakeNetwork();
  const ctx = await createTestContext({ origin: ORIGIN, fetch: network.fetch, ...(params.now === undefined ? {} : { now: params.now }) });
  const mediaDir = mkdtempSync(join(tmpdir(), "outpost-media-"));
  const routing = createJsonAliasRouting({ prefix: ctx.config.prefix });
  const app = new Hono<AppEnv>({ getPath: routing.getPath });
  app.use("*", requestContext({ logger: ctx.logger, hasJsonSuffix: routing.hasJsonSuffix }));
  const api = mountClientApi(app, { ctx, mediaDir, registrationLimit: false, ...params.mount, config: params.config });
  assert.ok(api !== null);
  // The public routes come after, as in the server: the client API's GET routes pass on what they do not answer.
  app.route("/", createHttpApp({ ctx, rateLimits: false }));
  app.notFound((c) => c.body(null, 404, { [UNMATCHED_HEADER]: "1" }));
  app.onError((error, c) => renderError({ c, error, logger: ctx.logger }));
  const worker = createWorker(ctx, { handlers: { [INBOX_QUEUE]: handleInboxJob, [DELIVERY_QUEUE]: handleDeliveryJob } });
  return {
    ctx,
    api,
    network,
    worker,
    mediaDir,
    request: async (path, init = {}) => {
      const { address, ...rest } = init;
      return app.fetch(new Request(new URL(path, ORIGIN), rest), { remoteAddress: address ?? "192.0.2.1" });
    },
    close: async () => {
      await ctx.store.close();
      rmSync(mediaDir, { recursive: true, force: true });
    },
  };
}

/** Parameters of {@link userWithToken}. */
export interface UserWithTokenParams {
  readonly username: string;
  readonly scopes?: string;
  readonly admin?: boolean;
  readonly expiresInMs?: number;
}

/** Creates a user (password "correct horse") and a personal access token for it. */
export async function userWithToken(server: ClientApiTestServer, params: UserWithTokenParams): Promise<string> {
  const created = await createUser(server.api.ac, { username: params.username, password: "correct horse", admin: params.admin });
  assert.ok(created.ok, created.ok ? "" : created.message);
  const token = await createPersonalAccessToken(server.api.ac, {
    username: params.username,
    scopes: params.scopes ?? "read write follow",
    ...(params.expiresInMs === undefined ? {} : { expiresInMs: params.expiresInMs }),
  });
  assert.ok(token.ok);
  return token.token;
}

/** Headers of a JSON API call with a token. */
export function bearer(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${token}`, ...extra };
}

/** Creates an actor through the API; returns its document view. */
export async function createActorViaApi(
  server: ClientApiTestServer,
  token: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const response = await server.request("/api/actors", {
    method: "POST",
    headers: bearer(token, { "content-type": "application/json" }),
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()) as Record<string, unknown>;
}

/** Posts a document to an outbox as a client. */
export function postToOutbox(server: ClientApiTestServer, params: { token: string; username: string; body: unknown; headers?: Record<string, string> }): Promise<Response> {
  return server.request(`/users/${params.username}/outbox`, {
    method: "POST",
    headers: bearer(params.token, { "content-type": "application/activity+json", ...params.headers }),
    body: typeof params.body === "string" ? params.body : JSON.stringify(params.body),
  });
}

/** Reads a document as an anonymous client (or with a token). */
export async function getJson(server: ClientApiTestServer, path: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = path.startsWith(ORIGIN) ? path.slice(ORIGIN.length) : path;
  const response = await server.request(url, {
    headers: { accept: "application/activity+json", ...(token === undefined ? {} : bearer(token)) },
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
}
