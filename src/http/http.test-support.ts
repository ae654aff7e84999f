/**
 * Shared setup for the HTTP tests: an app over a fresh in-memory store, a
 * fake network serving Mastodon-shaped remote actors (keys from
 * test/fixtures/keys/), and helpers to seed local actors and posts directly
 * into the store and to sign fetches.
 */
import { readFileSync } from "node:fs";
import type { Hono } from "hono";
import { signRequest } from "../crypto/verify-request.ts";
import { createLocalActor, type CreateLocalActorParameters } from "../federation/actors/local-actors.ts";
import { createFakeNetwork, type FakeNetwork } from "../federation/fetch/fake-network.test-support.ts";
import { addressFor, recipientsOf, type Visibility } from "../protocol/addressing.ts";
import { buildCreate } from "../protocol/activities.ts";
import { buildNote } from "../protocol/note.ts";
import { mintId } from "../protocol/uris.ts";
import type { ActorRecord, ObjectRecord } from "../store/records.ts";
import { createTestContext, type TestContext, type TestContextOptions } from "../../test/support/federation-context.ts";
import { createHttpApp, type CreateHttpAppParams } from "./app.ts";
import type { AppEnv } from "./app-env.ts";

/** The local server's origin in the HTTP tests. */
export const ORIGIN = "https://outpost.test";

const fixturesDir = new URL("../../test/fixtures/", import.meta.url);

function readFixture(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(path, fixturesDir), "utf8")) as Record<string, unknown>;
}

/** A test server: context, app, and the fake network behind `ctx.fetch`. */
export interface HttpTestServer {
  readonly ctx: TestContext;
  readonly app: Hono<AppEnv>;
  readonly network: FakeNetwork;
  /** Sends a request to the app; `path` is relative to the origin. */
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** Parameters of {@link createHttpTestServer}. */
export interface CreateHttpTestServerParams {
  readonly prefix?: string;
  readonly context?: Omit<TestContextOptions, "fetch" | "prefix" | "origin">;
  readonly rateLimits?: CreateHttpAppParams["rateLimits"];
  readonly trustProxy?: boolean;
}

/** An app over a fresh store, with rate limits off unless given. */
export async function createHttpTestServer(params: CreateHttpTestServerParams = {}): Promise<HttpTestServer> {
  const network = createFakeNetwork();
  const ctx = await createTestContext({ ...params.context, origin: ORIGIN, prefix: params.prefix, fetch: network.fetch });
  const app = createHttpApp({ ctx, rateLimits: params.rateLimits ?? false, trustProxy: params.trustProxy });
  return {
    ctx,
    app,
    network,
    request: async (path, init) => app.fetch(new Request(new URL(path, ORIGIN), init)),
    close: () => ctx.store.close(),
  };
}

/** Creates a local actor the way the CLI does; throws if it cannot. */
export async function seedLocalActor(ctx: TestContext, params: CreateLocalActorParameters): Promise<ActorRecord> {
  const created = await createLocalActor(ctx, params);
  if (!created.ok) throw new Error(created.message);
  return created.actor;
}

/** Parameters of {@link seedPost}. */
export interface SeedPostParams {
  readonly author: ActorRecord;
  readonly content: string;
  readonly visibility?: Visibility;
  /** Extra addressees (actor URIs), mentioned. */
  readonly mentions?: readonly string[];
  readonly published?: string;
  readonly inReplyTo?: string;
  readonly summary?: string;
  /** Also store its Create activity (for the outbox). */
  readonly withCreate?: boolean;
}

/** A post and its Create, stored directly. */
export interface SeededPost {
  readonly object: ObjectRecord;
  readonly createUri: string;
}

/** Stores a local Note (and its Create) as publishing would. */
export async function seedPost(ctx: TestContext, params: SeedPostParams): Promise<SeededPost> {
  const { author } = params;
  const visibility = params.visibility ?? "public";
  const published = params.published ?? ctx.now().toISOString();
  const id = mintId(Date.parse(published));
  const uri = ctx.uris.object(author.username, id);
  const { to, cc } = addressFor({ visibility, followersUri: ctx.uris.followers(author.username), mentions: params.mentions ?? [] });
  const document = buildNote({
    id: uri,
    attributedTo: author.uri,
    content: params.content,
    to,
    cc,
    published,
    inReplyTo: params.inReplyTo,
    summary: params.summary,
    url: uri,
  });
  const object: ObjectRecord = {
    uri,
    type: "Note",
    attributedTo: author.uri,
    local: true,
    visibility,
    inReplyTo: params.inReplyTo ?? null,
    published,
    updated: null,
    recipients: recipientsOf({ to, cc }),
    document,
    deletedAt: null,
    formerType: null,
  };
  const createUri = ctx.uris.activity(author.username, mintId(Date.parse(published)));
  await ctx.store.objects.put(object);
  if (params.withCreate ?? true) {
    const { "@context": _context, ...embedded } = document;
    const create = buildCreate({ id: createUri, actor: author.uri, object: embedded, to, cc, published });
    await ctx.store.activities.add({
      uri: createUri,
      type: "Create",
      actorUri: author.uri,
      objectUri: uri,
      targetUri: null,
      local: true,
      visibility,
      recipients: recipientsOf({ to, cc }),
      document: create,
      published,
    });
  }
  return { object, createUri };
}

/** A remote actor served by the fake network, with a fixture key to sign as it. */
export interface RemoteTestActor {
  readonly uri: string;
  readonly keyId: string;
  readonly privateKeyPem: string;
  readonly document: Record<string, unknown>;
}

/** Parameters of {@link serveRemoteActor}. */
export interface ServeRemoteActorParams {
  readonly network: FakeNetwork;
  readonly username: string;
  readonly origin?: string;
  readonly key?: "remote-alice" | "remote-mallory";
}

/** Serves a Mastodon-shaped actor (test/fixtures/mastodon/actor.json) on the fake network. */
export function serveRemoteActor(params: ServeRemoteActorParams): RemoteTestActor {
  const origin = params.origin ?? "https://mastodon.example";
  const key = params.key ?? "remote-alice";
  const uri = `${origin}/users/${params.username}`;
  const keyId = `${uri}#main-key`;
  const document: Record<string, unknown> = {
    ...readFixture("mastodon/actor.json"),
    id: uri,
    preferredUsername: params.username,
    name: params.username,
    url: `${origin}/@${params.username}`,
    inbox: `${uri}/inbox`,
    outbox: `${uri}/outbox`,
    followers: `${uri}/followers`,
    following: `${uri}/following`,
    featured: `${uri}/collections/featured`,
    endpoints: { sharedInbox: `${origin}/inbox` },
    publicKey: {
      id: keyId,
      owner: uri,
      publicKeyPem: readFileSync(new URL(`keys/${key}-public.pem`, fixturesDir), "utf8"),
    },
  };
  params.network.serveJson(uri, document);
  return { uri, keyId, document, privateKeyPem: readFileSync(new URL(`keys/${key}-private.pem`, fixturesDir), "utf8") };
}

/** Parameters of {@link signedRequest}. */
export interface SignedRequestParams {
  readonly url: string;
  readonly signer: RemoteTestActor;
  readonly method?: string;
  readonly accept?: string;
  readonly body?: string;
  readonly contentType?: string;
}

/** A request signed by a remote actor, as its server would send it. */
export function signedRequest(params: SignedRequestParams): Request {
  const method = params.method ?? "GET";
  const headers = new Headers({ accept: params.accept ?? "application/activity+json" });
  if (params.contentType !== undefined) headers.set("content-type", params.contentType);
  const body = params.body === undefined ? undefined : new TextEncoder().encode(params.body);
  const signed = signRequest({
    method,
    url: params.url,
    headers,
    body,
    keyId: params.signer.keyId,
    privateKey: params.signer.privateKeyPem,
  });
  return new Request(params.url, { method, headers: signed, body });
}
