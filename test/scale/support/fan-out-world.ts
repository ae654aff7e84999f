/**
 * A local account with many followers, each with an inbox of its own on one
 * loopback sink, in a PostgreSQL schema that worker processes can share:
 * the setting of the scale-out test and benchmark.
 */
import pino from "pino";
import { instanceActor } from "../../../src/federation/actors/instance-actor.ts";
import { createLocalActor } from "../../../src/federation/actors/local-actors.ts";
import { resolveConfig, type FederationContext } from "../../../src/federation/context.ts";
import { createLocalUris } from "../../../src/protocol/uris.ts";
import type { ActorRecord } from "../../../src/store/records.ts";
import type { Store } from "../../../src/store/store.ts";

/** The origin of the local instance (never fetched: the sink is given the keys). */
export const FAN_OUT_ORIGIN = "https://outpost.test";

/** Parameters of {@link createFanOutContext}. */
export interface CreateFanOutContextParams {
  readonly store: Store;
  /** Default {@link FAN_OUT_ORIGIN}; the origin of a web process when one serves the instance. */
  readonly origin?: string;
}

/** A federation context over a shared store that queues jobs for other processes to run. */
export function createFanOutContext(params: CreateFanOutContextParams): FederationContext {
  const config = resolveConfig({ origin: params.origin ?? FAN_OUT_ORIGIN, allowPrivateAddresses: true });
  return {
    store: params.store,
    uris: createLocalUris({ origin: config.origin, prefix: config.prefix }),
    config,
    logger: pino({ level: process.env.OUTPOST_TEST_LOG ?? "silent" }),
    now: () => new Date(),
    fetch: async (input) => {
      throw new Error(`the publishing process fetches nothing: ${String(input instanceof Request ? input.url : input)}`);
    },
    plugins: [],
    // Worker processes find the jobs by polling.
    jobsQueued: () => {},
  };
}

/** Parameters of {@link seedFanOut}. */
export interface SeedFanOutParams {
  readonly username: string;
  readonly followers: number;
  /** The inbox of follower n. */
  readonly inboxUrl: (n: number) => string;
}

/** What {@link seedFanOut} made. */
export interface FanOutSeed {
  readonly actor: ActorRecord;
  /** Key id → public key, for the sink to verify deliveries with. */
  readonly keys: ReadonlyMap<string, string>;
}

/**
 * Creates the instance actor (before any worker process starts, so that they
 * all find it instead of racing to make it), a local actor and its accepted
 * followers, each with its own inbox and no shared inbox.
 */
export async function seedFanOut(ctx: FederationContext, params: SeedFanOutParams): Promise<FanOutSeed> {
  await instanceActor(ctx);
  const created = await createLocalActor(ctx, { username: params.username });
  if (!created.ok) throw new Error(`cannot create ${params.username}: ${created.message}`);
  const actor = created.actor;
  const now = new Date().toISOString();
  await ctx.store.transaction(async (tx) => {
    for (let n = 0; n < params.followers; n++) {
      const inbox = params.inboxUrl(n);
      const uri = new URL(`/users/follower${n}`, inbox).href;
      await tx.actors.put({
        uri,
        type: "Person",
        username: `follower${n}`,
        host: new URL(inbox).host,
        local: false,
        inbox,
        sharedInbox: null,
        outbox: null,
        followersUri: null,
        followingUri: null,
        featuredUri: null,
        url: null,
        name: null,
        summary: null,
        iconUrl: null,
        manuallyApprovesFollowers: false,
        discoverable: true,
        alsoKnownAs: [],
        movedTo: null,
        fields: [],
        published: null,
        updatedAt: now,
        fetchedAt: now,
        deletedAt: null,
        document: { id: uri, type: "Person", inbox },
      });
      await tx.follows.put({
        followerUri: uri,
        followeeUri: actor.uri,
        activityUri: `${uri}#follow`,
        state: "accepted",
        createdAt: now,
      });
    }
  });
  const keys = new Map((await ctx.store.keys.listForOwner(actor.uri)).map((key) => [key.keyId, key.publicKeyPem]));
  return { actor, keys };
}
