/**
 * Shared setup for the inbox tests: a local server at outpost.example, remote
 * Mastodon-shaped actors served by a fake network with keys from
 * test/fixtures/keys/, and helpers to sign deliveries and run handlers.
 */
import { readFileSync } from "node:fs";
import { signRequest } from "../../crypto/verify-request.ts";
import { normalizeActivity, type NormalizedActivity } from "../../protocol/normalize.ts";
import type { ActorRecord, JobRecord, ObjectRecord } from "../../store/records.ts";
import { createTestContext, type TestContext, type TestContextOptions } from "../../../test/support/federation-context.ts";
import { resolveActor } from "../actors/actor-resolver.ts";
import { createLocalActor } from "../actors/local-actors.ts";
import { DELIVERY_QUEUE, handleDeliveryJob } from "../delivery/delivery-job.ts";
import { createFakeNetwork, type FakeNetwork } from "../fetch/fake-network.test-support.ts";
import { createWorker } from "../queue/worker.ts";
import type { InboxHandlerContext } from "./handlers/handler.ts";
import { INBOX_QUEUE } from "./inbox-job.ts";
import { handleInboxPluginJob, INBOX_PLUGIN_QUEUE } from "./plugin-runner.ts";
import { handleInboxJob } from "./process.ts";
import type { ReceiveActivityParams } from "./receive.ts";

/** The local server's origin in every inbox test (the fixtures address it). */
export const LOCAL_ORIGIN = "https://outpost.example";

const fixturesDir = new URL("../../../test/fixtures/", import.meta.url);

/** A fixture file parsed as JSON. */
export function readFixture(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(path, fixturesDir), "utf8")) as Record<string, unknown>;
}

function readKey(name: string): string {
  return readFileSync(new URL(`keys/${name}.pem`, fixturesDir), "utf8");
}

/** A remote actor: its document, where it lives, and the private key it signs with. */
export interface RemoteActor {
  readonly uri: string;
  readonly keyId: string;
  readonly inbox: string;
  readonly sharedInbox: string;
  readonly followers: string;
  readonly featured: string;
  readonly document: Record<string, unknown>;
  readonly privateKeyPem: string;
}

/** Parameters of {@link remoteActor}. */
export interface RemoteActorParams {
  readonly username: string;
  /** Defaults to https://mastodon.example. */
  readonly origin?: string;
  /** Which fixture key pair signs for the actor. */
  readonly key?: "remote-alice" | "remote-mallory";
  /** Fields to set on the document (e.g. alsoKnownAs). */
  readonly overrides?: Record<string, unknown>;
}

/** A Mastodon-shaped remote actor, built from test/fixtures/mastodon/actor.json. */
export function remoteActor(params: RemoteActorParams): RemoteActor {
  const origin = params.origin ?? "https://mastodon.example";
  const uri = `${origin}/users/${params.username}`;
  const key = params.key ?? "remote-alice";
  const base = readFixture("mastodon/actor.json");
  const document: Record<string, unknown> = {
    ...base,
    id: uri,
    preferredUsername: params.username,
    name: params.username,
    url: `${origin}/@${params.username}`,
    inbox: `${uri}/inbox`,
    outbox: `${uri}/outbox`,
    followers: `${uri}/followers`,
    following: `${uri}/following`,
    featured: `${uri}/collections/featured`,
    featuredTags: `${uri}/collections/tags`,
    alsoKnownAs: [],
    endpoints: { sharedInbox: `${origin}/inbox` },
    publicKey: { id: `${uri}#main-key`, owner: uri, publicKeyPem: readKey(`${key}-public`) },
    ...params.overrides,
  };
  return {
    uri,
    keyId: `${uri}#main-key`,
    inbox: `${uri}/inbox`,
    sharedInbox: `${origin}/inbox`,
    followers: `${uri}/followers`,
    featured: `${uri}/collections/featured`,
    document,
    privateKeyPem: readKey(`${key}-private`),
  };
}

/** A test context over a fake network, with the remote actors served. */
export interface InboxTestBed {
  readonly ctx: TestContext;
  readonly network: FakeNetwork;
  /** Serves a remote actor's document (replacing what was served before). */
  serve(actor: RemoteActor): void;
  /** Creates a local actor. */
  addLocal(params: { username: string; manuallyApprovesFollowers?: boolean }): Promise<ActorRecord>;
  /** Stores a remote actor as if it had been fetched, without network requests later. */
  storeRemote(actor: RemoteActor): Promise<ActorRecord>;
  /** Remote inboxes receive 202 for every POST. */
  acceptDeliveries(inbox: string): void;
  close(): Promise<void>;
}

/** Builds a test bed; call `close()` when done. */
export async function createInboxTestBed(options: Omit<TestContextOptions, "fetch" | "origin"> = {}): Promise<InboxTestBed> {
  const network = createFakeNetwork();
  const ctx = await createTestContext({ ...options, origin: LOCAL_ORIGIN, fetch: network.fetch });
  const serve = (actor: RemoteActor) => network.serveJson(actor.uri, actor.document);
  return {
    ctx,
    network,
    serve,
    async addLocal(params) {
      const created = await createLocalActor(ctx, params);
      if (!created.ok) throw new Error(created.message);
      return created.actor;
    },
    async storeRemote(actor) {
      serve(actor);
      const resolved = await resolveActor(ctx, actor.uri);
      if (!resolved.ok) throw new Error(resolved.message);
      return resolved.actor;
    },
    acceptDeliveries(inbox) {
      network.route(inbox, () => new Response(null, { status: 202 }));
    },
    close: () => ctx.store.close(),
  };
}

/** Parameters of {@link signedDelivery}. */
export interface SignedDeliveryParams {
  /** The inbox URL posted to. */
  readonly url: string;
  readonly activity: Record<string, unknown>;
  /** Who signs the request. */
  readonly signer: RemoteActor;
  readonly recipientUsername?: string;
  readonly contentType?: string;
  readonly now?: Date;
  /** The body's text, when it is to be written otherwise than the activity serialized compactly. */
  readonly bodyText?: string;
}

/** A POST of an activity to an inbox, signed as the signer, as the HTTP layer would pass it on. */
export function signedDelivery(params: SignedDeliveryParams): ReceiveActivityParams {
  const body = new TextEncoder().encode(params.bodyText ?? JSON.stringify(params.activity));
  const headers = signRequest({
    method: "POST",
    url: params.url,
    headers: new Headers({ "content-type": params.contentType ?? "application/activity+json" }),
    body,
    keyId: params.signer.keyId,
    privateKey: params.signer.privateKeyPem,
    ...(params.now === undefined ? {} : { now: params.now }),
  });
  const request = { method: "POST", url: params.url, headers, body };
  return params.recipientUsername === undefined ? request : { ...request, recipientUsername: params.recipientUsername };
}

/** An activity document normalized, failing the test when it cannot be read. */
export function normalized(document: Record<string, unknown>): NormalizedActivity {
  const result = normalizeActivity(document);
  if (!result.ok) throw new Error(`test activity is invalid: ${result.message}`);
  return result.value;
}

/** Parameters of {@link handlerContext}. */
export interface HandlerContextParams {
  readonly signerUri: string;
  readonly local?: boolean;
  readonly recipientUsername?: string;
}

/** The context a handler runs in, for calling handlers directly. */
export function handlerContext(ctx: TestContext, params: HandlerContextParams): InboxHandlerContext {
  return {
    ...ctx,
    signerUri: params.signerUri,
    local: params.local ?? false,
    ...(params.recipientUsername === undefined ? {} : { recipientUsername: params.recipientUsername }),
  };
}

/** A job record as the worker would hand it to a handler. */
export function jobRecord(params: { queue: string; payload: unknown; attempts?: number }): JobRecord {
  const now = new Date().toISOString();
  return {
    id: `test-${Math.random().toString(36).slice(2)}`,
    queue: params.queue,
    payload: params.payload,
    status: "pending",
    attempts: params.attempts ?? 0,
    runAt: now,
    createdAt: now,
    lastError: null,
    dedupeKey: null,
    groupKey: null,
  };
}

/** Bodies of the POSTs a remote inbox received, parsed. */
export function deliveriesTo(network: FakeNetwork, inbox: string): Record<string, unknown>[] {
  return network
    .requestsTo(inbox)
    .filter((request) => request.method === "POST")
    .map((request) => JSON.parse(request.body) as Record<string, unknown>);
}

/** Runs every due job (deliveries, inbox and plugin jobs) until none is left. */
export async function runQueuedJobs(ctx: TestContext): Promise<void> {
  const worker = createWorker(ctx, {
    handlers: {
      [DELIVERY_QUEUE]: handleDeliveryJob,
      [INBOX_QUEUE]: handleInboxJob,
      [INBOX_PLUGIN_QUEUE]: handleInboxPluginJob,
    },
    concurrency: 1,
  });
  await worker.runUntilIdle();
}

/** Parameters of {@link noteRecord}. */
export interface NoteRecordParams {
  readonly uri: string;
  readonly attributedTo: string;
  readonly local: boolean;
  readonly content?: string;
  readonly updated?: string;
}

/** A public Note as the store keeps it, for tests that need an existing object. */
export function noteRecord(params: NoteRecordParams): ObjectRecord {
  const published = "2024-11-12T09:30:00.000Z";
  const document: Record<string, unknown> = {
    id: params.uri,
    type: "Note",
    attributedTo: params.attributedTo,
    content: params.content ?? "<p>Hello</p>",
    published,
    to: ["https://www.w3.org/ns/activitystreams#Public"],
    cc: [`${params.attributedTo}/followers`],
  };
  if (params.updated !== undefined) document.updated = params.updated;
  return {
    uri: params.uri,
    type: "Note",
    attributedTo: params.attributedTo,
    local: params.local,
    visibility: "public",
    inReplyTo: null,
    published,
    updated: params.updated ?? null,
    recipients: [`${params.attributedTo}/followers`],
    document,
    deletedAt: null,
    formerType: null,
  };
}
