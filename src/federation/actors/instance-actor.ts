/**
 * The instance actor: the server's own Application actor. It signs requests
 * made on behalf of the server rather than a user (fetching documents from
 * servers that require signed fetches) and so must exist before the first
 * remote fetch. It is created on first use and kept for the store's lifetime.
 */
import { generateRsaKeyPair } from "../../crypto/keys.ts";
import type { ActorRecord, KeyRecord } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";
import type { FederationContext } from "../context.ts";

/** The instance actor and its key pair. */
export interface InstanceActor {
  readonly actor: ActorRecord;
  readonly key: KeyRecord;
}

// One promise per store, so concurrent first uses create the actor once.
const cache = new WeakMap<Store, Promise<InstanceActor>>();

/** The instance actor, created and stored on first use. */
export function instanceActor(ctx: FederationContext): Promise<InstanceActor> {
  const cached = cache.get(ctx.store);
  if (cached !== undefined) return cached;
  const loading = loadOrCreate(ctx);
  cache.set(ctx.store, loading);
  // A failure (database down) must not be remembered for the store's lifetime.
  loading.catch(() => cache.delete(ctx.store));
  return loading;
}

async function loadOrCreate(ctx: FederationContext): Promise<InstanceActor> {
  const existing = await load(ctx, ctx.store);
  if (existing !== null) return existing;
  // Key generation is slow; do it outside the transaction.
  const pair = await generateRsaKeyPair();
  const created = await ctx.store.transaction(async (tx) => {
    // Another process may have won the race meanwhile; its key is the one remote servers will see.
    const raced = await load(ctx, tx);
    if (raced !== null) return raced;
    const actor = instanceActorRecord(ctx);
    const key: KeyRecord = {
      keyId: ctx.uris.instanceKey(),
      ownerUri: actor.uri,
      publicKeyPem: pair.publicKeyPem,
      privateKeyPem: pair.privateKeyPem,
    };
    // Only the first key is kept: a process that raced ahead on another
    // connection may have stored its own meanwhile, and that one is what
    // remote servers will see, so it is the one to sign with.
    if (!(await tx.keys.add(key))) return null;
    await tx.actors.put(actor);
    return { actor, key };
  });
  if (created === null) {
    const stored = await load(ctx, ctx.store);
    if (stored === null) throw new Error("the instance actor's key exists but could not be read back");
    return stored;
  }
  ctx.logger.info({ actor: created.actor.uri }, "instance actor ready");
  return created;
}

async function load(ctx: FederationContext, store: Store): Promise<InstanceActor | null> {
  const actor = await store.actors.get(ctx.uris.instanceActor());
  if (actor === null) return null;
  const key = await store.keys.get(ctx.uris.instanceKey());
  if (key === null || key.privateKeyPem === null) return null;
  return { actor, key };
}

function instanceActorRecord(ctx: FederationContext): ActorRecord {
  const host = new URL(ctx.uris.origin).host.toLowerCase();
  const now = ctx.now().toISOString();
  return {
    uri: ctx.uris.instanceActor(),
    type: "Application",
    // A host name is never a valid user name, so the instance actor cannot collide with a user.
    username: host,
    host,
    local: true,
    inbox: ctx.uris.instanceInbox(),
    sharedInbox: ctx.uris.sharedInbox(),
    outbox: ctx.uris.instanceOutbox(),
    followersUri: null,
    followingUri: null,
    featuredUri: null,
    url: ctx.uris.origin,
    name: host,
    summary: null,
    iconUrl: null,
    manuallyApprovesFollowers: true,
    discoverable: false,
    alsoKnownAs: [],
    movedTo: null,
    fields: [],
    published: now,
    updatedAt: now,
    fetchedAt: null,
    deletedAt: null,
    document: null,
  };
}
