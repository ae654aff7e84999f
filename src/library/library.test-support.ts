/**
 * A world for the library tests: an Outpost built with createOutpost over an
 * in-memory store, a controllable clock, and a fake network on which
 * Mastodon-shaped remote accounts (actor, WebFinger, inboxes that record
 * deliveries) can be put. Remote accounts sign with the fixture keys, so the
 * tests can deliver activities to the Outpost as those servers would.
 */
import { readFileSync } from "node:fs";
import pino from "pino";
import { openTestStore } from "../../test/support/test-store.ts";
import { createFakeNetwork, type FakeNetwork, type RecordedRequest } from "../federation/fetch/fake-network.test-support.ts";
import { serveRemoteActor, signedRequest, type RemoteTestActor } from "../http/http.test-support.ts";
import { createOutpost, type Outpost, type OutpostOptions } from "../outpost.ts";

/** The Outpost's origin in the library tests. */
export const SITE = "https://blog.test";

const createNoteFixture = JSON.parse(
  readFileSync(new URL("../../test/fixtures/mastodon/create-note-public.json", import.meta.url), "utf8"),
) as Record<string, unknown>;
const webFingerFixture = JSON.parse(
  readFileSync(new URL("../../test/fixtures/mastodon/webfinger.json", import.meta.url), "utf8"),
) as { links: Record<string, unknown>[] };

/** A remote account on the fake network. */
export interface RemoteAccount extends RemoteTestActor {
  /** `user@host`. */
  readonly handle: string;
  /** Deliveries that reached its personal or its server's shared inbox, parsed. */
  deliveries(): Record<string, unknown>[];
  /** Makes its inboxes answer with this status from now on. */
  answerWith(status: number): void;
}

/** The test world. */
export interface LibraryWorld {
  readonly outpost: Outpost;
  readonly network: FakeNetwork;
  /** Moves the Outpost's clock forward (jobs scheduled for later become due). */
  advance(ms: number): void;
  /** Serves a Mastodon account at `https://<host>/users/<username>`, findable by WebFinger. */
  addRemoteAccount(username: string, host?: string): RemoteAccount;
  /** Serves a public Mastodon-shaped Note of the account (or a reply, addressed to the replied author too); returns it. */
  addRemoteNote(params: { readonly author: RemoteAccount; readonly id: string; readonly inReplyTo?: { uri: string; author: string } }): Record<string, unknown>;
  /** Delivers an activity to a local actor's inbox (or the shared inbox), signed by a remote account. */
  deliver(params: { readonly from: RemoteAccount; readonly activity: Record<string, unknown>; readonly to?: string }): Promise<Response>;
  close(): Promise<void>;
}

/** Builds a world; `options` go to createOutpost. */
export async function createLibraryWorld(options: Partial<OutpostOptions> = {}): Promise<LibraryWorld> {
  const network = createFakeNetwork();
  // The real time plus what the test skipped: signatures carry the real Date, and the store stamps jobs with it.
  let skipped = 0;
  const outpost = await createOutpost({
    origin: SITE,
    store: await openTestStore(),
    logger: pino({ level: process.env.OUTPOST_TEST_LOG ?? "silent" }),
    fetch: network.fetch,
    rateLimits: false,
    workers: "none",
    now: () => new Date(Date.now() + skipped),
    ...options,
    // The fake network's hosts do not resolve; the address check would stop every request before it.
    config: { allowPrivateAddresses: true, ...options.config },
  });
  return {
    outpost,
    network,
    advance(ms) {
      skipped += ms;
    },
    addRemoteAccount(username, host = "mastodon.example") {
      const origin = `https://${host}`;
      const actor = serveRemoteActor({ network, username, origin });
      const handle = `${username}@${host}`;
      const links = webFingerFixture.links.map((link) => {
        if (link.rel === "self") return { ...link, href: actor.uri };
        if (link.rel === "http://webfinger.net/rel/profile-page") return { ...link, href: `${origin}/@${username}` };
        if (typeof link.template === "string") return { ...link, template: `${origin}/authorize_interaction?uri={uri}` };
        return link;
      });
      network.serveJson(
        `${origin}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${handle}`)}`,
        { subject: `acct:${handle}`, aliases: [`${origin}/@${username}`, actor.uri], links },
        { contentType: "application/jrd+json; charset=utf-8" },
      );
      const received: RecordedRequest[] = [];
      let status = 202;
      const inbox = (request: RecordedRequest) => {
        received.push(request);
        return new Response(null, { status });
      };
      network.route(`${actor.uri}/inbox`, inbox);
      network.route(`${origin}/inbox`, inbox);
      return {
        ...actor,
        handle,
        deliveries: () => received.map((request) => JSON.parse(request.body) as Record<string, unknown>),
        answerWith(next) {
          status = next;
        },
      };
    },
    addRemoteNote({ author, id, inReplyTo }) {
      const template = structuredClone(createNoteFixture.object) as Record<string, unknown>;
      const followers = `${author.uri}/followers`;
      const note: Record<string, unknown> = {
        "@context": createNoteFixture["@context"],
        ...template,
        id,
        url: id,
        atomUri: id,
        attributedTo: author.uri,
        to: ["https://www.w3.org/ns/activitystreams#Public"],
        cc: inReplyTo === undefined ? [followers] : [followers, inReplyTo.author],
        inReplyTo: inReplyTo?.uri ?? null,
        content: "<p>A remote post</p>",
        contentMap: { en: "<p>A remote post</p>" },
        tag: inReplyTo === undefined ? [] : [{ type: "Mention", href: inReplyTo.author, name: "@blog" }],
        replies: `${id}/replies`,
        likes: `${id}/likes`,
        shares: `${id}/shares`,
      };
      network.serveJson(id, note);
      return note;
    },
    async deliver({ from, activity, to }) {
      const url = to === undefined ? outpost.ctx.uris.sharedInbox() : outpost.ctx.uris.inbox(to);
      const response = await outpost.handle(
        signedRequest({ url, signer: from, method: "POST", body: JSON.stringify(activity), contentType: "application/activity+json" }),
      );
      await outpost.runJobsUntilIdle();
      return response;
    },
    async close() {
      await outpost.stop();
      await outpost.store.close();
    },
  };
}
