/**
 * A real Fedify server as a federation peer: one Person with an RSA and an
 * Ed25519 key pair (so Fedify signs requests, Linked Data signatures and
 * Object Integrity Proofs as it does in production), served on a free
 * loopback port. Its inbox verifies every signature itself and records what
 * arrives; its outbox (fedify-peer-outbox.ts) sends to Outpost actors the
 * way a Fedify application would.
 *
 * Which signature scheme Fedify uses on a server it has not met is steered
 * only by `firstKnock`: it falls back to the other scheme (and remembers
 * that) when the first is refused.
 */
import { randomUUID } from "node:crypto";
import {
  createFederation,
  generateCryptoKeyPair,
  MemoryKvStore,
  type Context,
  type Federation,
  type HttpMessageSignaturesSpec,
} from "@fedify/fedify";
import {
  Accept,
  Activity,
  Announce,
  Block,
  Create,
  Delete,
  Endpoints,
  Follow,
  isActor,
  Like,
  Move,
  Note,
  Person,
  Reject,
  Undo,
  Update,
} from "@fedify/vocab";
import { serveOutpost, type RunningServer } from "../../src/http/node-server.ts";
import { createPeerOutbox, type PeerOutbox, type PeerState } from "./fedify-peer-outbox.ts";
import { waitFor, type WaitForOptions } from "./wait-for.ts";

export type { PeerEditParams, PeerPostParams, PeerReactionParams, PeerVisibility, SentActivity } from "./fedify-peer-outbox.ts";

/** Parameters of {@link startFedifyPeer}. */
export interface StartFedifyPeerParams {
  /** The signature scheme Fedify tries first with a server it does not know yet. */
  readonly firstKnock: HttpMessageSignaturesSpec;
  /** Preferred username of the peer's one actor; default "fedi". */
  readonly username?: string;
}

/** An activity that reached the peer's inbox, after Fedify verified it. */
export interface ReceivedActivity {
  readonly type: string;
  readonly id: string | null;
  readonly actor: string | null;
  readonly objectId: string | null;
  /** The body as it was POSTed. */
  readonly json: Record<string, unknown>;
}

/** A delivery Fedify refused because its signature did not verify. */
export interface UnverifiedDelivery {
  readonly reason: string;
  readonly json: unknown;
}

/** A running Fedify peer. */
export interface FedifyPeer extends PeerOutbox {
  readonly origin: string;
  readonly username: string;
  readonly actorUri: string;
  /** `username@127.0.0.1:<port>`. */
  readonly handle: string;
  readonly federation: Federation<void>;
  /** Verified activities, oldest first. */
  readonly received: readonly ReceivedActivity[];
  readonly unverified: readonly UnverifiedDelivery[];
  /** Errors thrown while handling received activities. */
  readonly errors: readonly string[];
  /** Accepted followers' actor URIs. */
  followers(): string[];
  /** State of the peer's own follow of an actor. */
  followState(target: string): "pending" | "accepted" | undefined;
  /** Waits until an activity matching `match` was received, and returns it. */
  waitForActivity(match: (activity: ReceivedActivity) => boolean, options?: WaitForOptions): Promise<ReceivedActivity>;
  close(): Promise<void>;
}

/** Bounds what the peer remembers, so a runaway test fails instead of eating memory. */
const MAX_RECORDS = 1000;

/** Starts a Fedify server with one actor on `127.0.0.1` and a free port. */
export async function startFedifyPeer(params: StartFedifyPeerParams): Promise<FedifyPeer> {
  const username = params.username ?? "fedi";
  let federation: Federation<void> | undefined;
  const rawBodies = new Map<string, Record<string, unknown>>();
  // The port is bound first: Fedify needs its origin to mint ids outside requests.
  const server: RunningServer = await serveOutpost({
    outpost: {
      async handle(request) {
        if (federation === undefined) return new Response("starting", { status: 503 });
        if (request.method === "POST") rememberBody(rawBodies, await request.clone().text());
        return federation.fetch(request, { contextData: undefined });
      },
    },
  });
  const origin = server.url;
  const actorUri = `${origin}/users/${username}`;
  const keyPairs = [await generateCryptoKeyPair("RSASSA-PKCS1-v1_5"), await generateCryptoKeyPair("Ed25519")];
  const state: PeerState = {
    name: `Fedify ${username}`,
    followers: new Map(),
    following: new Map(),
    notes: new Map(),
    sent: new Map(),
  };
  const received: ReceivedActivity[] = [];
  const unverified: UnverifiedDelivery[] = [];
  const errors: string[] = [];

  const built = createFederation<void>({ kv: new MemoryKvStore(), origin, allowPrivateAddress: true, firstKnock: params.firstKnock });
  federation = built;

  const person = async (ctx: Context<void>): Promise<Person> => {
    const keys = await ctx.getActorKeyPairs(username);
    return new Person({
      id: ctx.getActorUri(username),
      preferredUsername: username,
      name: state.name,
      url: new URL(`${origin}/@${username}`),
      inbox: ctx.getInboxUri(username),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      followers: ctx.getFollowersUri(username),
      // Mastodon reads one RSA key here; the Ed25519 key is published for Object Integrity Proofs.
      publicKey: keys[0]?.cryptographicKey ?? null,
      assertionMethods: keys.map((key) => key.multikey),
    });
  };

  built
    .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => (identifier === username ? person(ctx) : null))
    .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === username ? keyPairs : []));
  built.setFollowersDispatcher("/users/{identifier}/followers", async (_ctx, identifier) =>
    identifier === username ? { items: [...state.followers.values()] } : null,
  );
  built.setObjectDispatcher(Note, "/users/{identifier}/notes/{id}", async (ctx, values) => {
    if (values.identifier !== username) return null;
    return state.notes.get(ctx.getObjectUri(Note, values).href)?.note ?? null;
  });

  const record = async (ctx: Context<void>, activity: Activity): Promise<void> => {
    const id = activity.id?.href ?? null;
    const json =
      (id === null ? undefined : rawBodies.get(id)) ??
      ((await activity.toJsonLd({ contextLoader: ctx.contextLoader })) as Record<string, unknown>);
    if (received.length >= MAX_RECORDS) received.shift();
    received.push({
      type: typeof json.type === "string" ? json.type : activity.constructor.name,
      id,
      actor: activity.actorId?.href ?? null,
      objectId: activity.objectId?.href ?? null,
      json,
    });
  };

  built
    .setInboxListeners("/users/{identifier}/inbox", "/inbox")
    .on(Follow, async (ctx, follow) => {
      await record(ctx, follow);
      if (follow.objectId?.href !== actorUri || follow.id === null) return;
      const follower = await follow.getActor(ctx);
      if (!isActor(follower) || follower.id === null) return;
      state.followers.set(follower.id.href, follower);
      const accept = new Accept({
        id: new URL(`${actorUri}#accepts/${randomUUID()}`),
        actor: new URL(actorUri),
        object: follow,
        to: follower.id,
      });
      await ctx.sendActivity({ identifier: username }, follower, accept);
    })
    .on(Accept, async (ctx, accept) => {
      await record(ctx, accept);
      const followee = accept.actorId?.href;
      if (followee !== undefined && state.following.has(followee)) state.following.set(followee, "accepted");
    })
    .on(Reject, async (ctx, reject) => {
      await record(ctx, reject);
      const followee = reject.actorId?.href;
      if (followee !== undefined) state.following.delete(followee);
    })
    .on(Undo, async (ctx, undo) => {
      await record(ctx, undo);
      const undone = await undo.getObject(ctx);
      if (undone instanceof Follow && undo.actorId !== null) state.followers.delete(undo.actorId.href);
    })
    .on(Create, record)
    .on(Update, record)
    .on(Delete, record)
    .on(Like, record)
    .on(Announce, record)
    .on(Block, record)
    .on(Move, record)
    .onUnverifiedActivity(async (_ctx, activity, reason) => {
      if (unverified.length >= MAX_RECORDS) unverified.shift();
      unverified.push({ reason: reason.type, json: await activity.toJsonLd() });
    })
    .onError((_ctx, error) => {
      if (errors.length >= MAX_RECORDS) errors.shift();
      errors.push(error.stack ?? error.message);
    });

  const outbox = createPeerOutbox({
    origin,
    username,
    state,
    context: () => built.createContext(new URL(origin), undefined),
    person,
    maxRecords: MAX_RECORDS,
  });
  return {
    ...outbox,
    origin,
    username,
    actorUri,
    handle: `${username}@${new URL(origin).host}`,
    federation: built,
    received,
    unverified,
    errors,
    followers: () => [...state.followers.keys()],
    followState: (target) => state.following.get(target),
    waitForActivity: (match, options) => waitFor(() => received.find(match), { message: "an activity at the Fedify peer", ...options }),
    close: () => server.close(),
  };
}

/** Keeps a POSTed body by its activity id, so the inbox can record exactly what was sent. */
function rememberBody(bodies: Map<string, Record<string, unknown>>, text: string): void {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return;
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return;
  const id = (json as { id?: unknown }).id;
  if (typeof id !== "string") return;
  if (bodies.size >= MAX_RECORDS) bodies.delete(bodies.keys().next().value!);
  bodies.set(id, json as Record<string, unknown>);
}
