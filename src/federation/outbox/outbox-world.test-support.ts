/**
 * A small world for outbox tests: a federation context over an in-memory
 * store, a local actor, and a fake network on which remote Mastodon accounts
 * and posts can be put. They are served in the shapes of
 * test/fixtures/mastodon/ (actor.json, webfinger.json and the Note of
 * create-note-public.json), renamed per account.
 */
import { readFileSync } from "node:fs";
import { createLocalActor } from "../actors/local-actors.ts";
import { createFakeNetwork, type FakeNetwork } from "../fetch/fake-network.test-support.ts";
import type { ActorRecord, JobRecord } from "../../store/records.ts";
import { createTestContext, type TestContext } from "../../../test/support/federation-context.ts";

const fixtures = new URL("../../../test/fixtures/", import.meta.url);
const readFixture = (path: string) => JSON.parse(readFileSync(new URL(path, fixtures), "utf8")) as Record<string, unknown>;
const mastodonActor = readFixture("mastodon/actor.json");
const mastodonWebFinger = readFixture("mastodon/webfinger.json");
const mastodonCreate = readFixture("mastodon/create-note-public.json");
const remotePublicKeyPem = readFileSync(new URL("keys/remote-alice-public.pem", fixtures), "utf8");

/** A remote account to serve. */
export interface RemoteAccountParams {
  readonly username: string;
  readonly host: string;
  /** Serve `endpoints.sharedInbox` (Mastodon does; GoToSocial does not). Default true. */
  readonly sharedInbox?: boolean;
  readonly alsoKnownAs?: readonly string[];
}

/** A remote post to serve. */
export interface RemoteNoteParams {
  readonly authorUri: string;
  readonly id: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
}

/** The test world. */
export interface OutboxWorld {
  readonly ctx: TestContext;
  readonly network: FakeNetwork;
  /** The local actor "alice". */
  readonly alice: ActorRecord;
  /** Serves a Mastodon account (WebFinger and actor document); returns its actor URI. */
  addRemoteAccount(params: RemoteAccountParams): string;
  /** Serves a Mastodon post; returns its id. */
  addRemoteNote(params: RemoteNoteParams): string;
  /** Creates another local actor. */
  addLocalActor(username: string): Promise<ActorRecord>;
  /** Every due job of a queue, claimed (so a second call sees only newer ones). */
  takeJobs(queue: string): Promise<JobRecord[]>;
  /** Inboxes a delivery of the activity was queued for, sorted. */
  deliveriesOf(activityUri: string): Promise<string[]>;
  /** The stored document of a published activity. */
  activityDocument(activityUri: string): Promise<Record<string, unknown>>;
  /** Moves the clock forward. */
  advance(ms: number): void;
}

/** Parameters of {@link createOutboxWorld}. */
export interface OutboxWorldParams {
  readonly origin?: string;
}

/** Builds a world; close `world.ctx.store` when done. */
export async function createOutboxWorld(params: OutboxWorldParams = {}): Promise<OutboxWorld> {
  const network = createFakeNetwork();
  let clock = Date.parse("2025-05-01T12:00:00.000Z");
  const ctx = await createTestContext({
    origin: params.origin ?? "https://local.test",
    fetch: network.fetch,
    now: () => new Date(clock),
  });
  const created = await createLocalActor(ctx, { username: "alice", name: "Alice" });
  if (!created.ok) throw new Error(created.message);
  const claimedDeliveries: JobRecord[] = [];
  const takeJobs = (queue: string): Promise<JobRecord[]> =>
    ctx.store.jobs.claim({ queues: [queue], limit: 1000, workerId: "test", leaseMs: 3_600_000, now: new Date(clock) });

  return {
    ctx,
    network,
    alice: created.actor,
    addRemoteAccount(account) {
      const uri = `https://${account.host}/users/${account.username}`;
      const document: Record<string, unknown> = {
        ...structuredClone(mastodonActor),
        id: uri,
        following: `${uri}/following`,
        followers: `${uri}/followers`,
        inbox: `${uri}/inbox`,
        outbox: `${uri}/outbox`,
        featured: `${uri}/collections/featured`,
        featuredTags: `${uri}/collections/tags`,
        preferredUsername: account.username,
        name: account.username,
        url: `https://${account.host}/@${account.username}`,
        alsoKnownAs: [...(account.alsoKnownAs ?? [])],
        publicKey: { id: `${uri}#main-key`, owner: uri, publicKeyPem: remotePublicKeyPem },
      };
      if (account.sharedInbox === false) delete document.endpoints;
      else document.endpoints = { sharedInbox: `https://${account.host}/inbox` };
      network.serveJson(uri, document);
      const acct = `${account.username}@${account.host}`;
      const profile = `https://${account.host}/@${account.username}`;
      const links = (structuredClone(mastodonWebFinger).links as Record<string, unknown>[]).map((link) => {
        if (link.rel === "self") return { ...link, href: uri };
        if (link.rel === "http://webfinger.net/rel/profile-page") return { ...link, href: profile };
        if (typeof link.template === "string") return { ...link, template: `https://${account.host}/authorize_interaction?uri={uri}` };
        return link;
      });
      network.serveJson(
        `https://${account.host}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${acct}`)}`,
        { subject: `acct:${acct}`, aliases: [profile, uri], links },
        { contentType: "application/jrd+json; charset=utf-8" },
      );
      return uri;
    },
    addRemoteNote(note) {
      const template = structuredClone(mastodonCreate.object) as Record<string, unknown>;
      const document: Record<string, unknown> = {
        "@context": mastodonCreate["@context"],
        ...template,
        id: note.id,
        url: note.id.replace("/users/", "/@").replace("/statuses/", "/"),
        atomUri: note.id,
        attributedTo: note.authorUri,
        to: [...note.to],
        cc: [...note.cc],
        content: "<p>A remote post</p>",
        contentMap: { en: "<p>A remote post</p>" },
        tag: [],
        replies: `${note.id}/replies`,
        likes: `${note.id}/likes`,
        shares: `${note.id}/shares`,
      };
      network.serveJson(note.id, document);
      return note.id;
    },
    async addLocalActor(username) {
      const result = await createLocalActor(ctx, { username });
      if (!result.ok) throw new Error(result.message);
      return result.actor;
    },
    takeJobs,
    async deliveriesOf(activityUri) {
      claimedDeliveries.push(...(await takeJobs("deliver")));
      return claimedDeliveries
        .map((job) => job.payload as { activityUri: string; inbox: string })
        .filter((payload) => payload.activityUri === activityUri)
        .map((payload) => payload.inbox)
        .sort();
    },
    async activityDocument(activityUri) {
      const record = await ctx.store.activities.get(activityUri);
      if (record === null) throw new Error(`no activity ${activityUri}`);
      return record.document;
    },
    advance(ms) {
      clock += ms;
    },
  };
}
