/**
 * This server's own actors: creating them with their key pair, finding them,
 * and the private key each signs its deliveries with.
 */
import { generateRsaKeyPair } from "../../crypto/keys.ts";
import { isValidUsername } from "../../protocol/uris.ts";
import type { ActorRecord, KeyRecord, ProfileField } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";
import type { FederationContext } from "../context.ts";
import { createTtlCache, type TtlCache } from "./actor-cache.ts";
import { instanceActor } from "./instance-actor.ts";

/** The actor types a local actor may have. */
export const LOCAL_ACTOR_TYPES = ["Person", "Service", "Group", "Organization", "Application"] as const;

/** One of {@link LOCAL_ACTOR_TYPES}. */
export type LocalActorType = (typeof LOCAL_ACTOR_TYPES)[number];

/** Parameters of {@link createLocalActor}. */
export interface CreateLocalActorParameters {
  readonly username: string;
  /** Person unless given. */
  readonly type?: string;
  readonly name?: string;
  /** Profile text as HTML. */
  readonly summary?: string;
  readonly iconUrl?: string;
  readonly manuallyApprovesFollowers?: boolean;
  readonly discoverable?: boolean;
  readonly fields?: readonly ProfileField[];
}

/** Why a local actor could not be created. */
export type CreateLocalActorFailureReason = "invalidUsername" | "taken" | "invalidType";

/** The created actor, or why not. */
export type CreateLocalActorResult =
  | { ok: true; actor: ActorRecord }
  | { ok: false; reason: CreateLocalActorFailureReason; message: string };

/**
 * Creates a local actor and its RSA-2048 key pair, stored together in one
 * transaction. A username stays taken after its actor is deleted, because
 * other servers remember the old actor under its URI.
 */
export async function createLocalActor(
  ctx: FederationContext,
  params: CreateLocalActorParameters,
): Promise<CreateLocalActorResult> {
  if (!isValidUsername(params.username)) {
    return {
      ok: false,
      reason: "invalidUsername",
      message: `"${params.username}" is not a valid username: use 1–30 letters, digits or underscores, not starting with an underscore`,
    };
  }
  const type = params.type ?? "Person";
  if (!isLocalActorType(type)) {
    return { ok: false, reason: "invalidType", message: `"${type}" is not one of ${LOCAL_ACTOR_TYPES.join(", ")}` };
  }
  const username = params.username.toLowerCase();
  if ((await ctx.store.actors.getLocal(username)) !== null) return taken(username);

  const pair = await generateRsaKeyPair();
  const actor = localActorRecord(ctx, { ...params, username, type });
  const created = await ctx.store.transaction(async (tx) => {
    if ((await tx.actors.getLocal(username)) !== null) return false;
    await tx.actors.put(actor);
    await tx.keys.put({
      keyId: ctx.uris.key(username),
      ownerUri: actor.uri,
      publicKeyPem: pair.publicKeyPem,
      privateKeyPem: pair.privateKeyPem,
    });
    return true;
  });
  if (!created) return taken(username);
  ctx.logger.info({ actor: actor.uri }, "local actor created");
  return { ok: true, actor };
}

/**
 * A local actor by username, case-insensitively; null when there is none.
 * Deleted actors are returned too (check `deletedAt`), so their URIs can be
 * answered with a tombstone instead of a 404.
 */
export async function getLocalActor(ctx: FederationContext, username: string): Promise<ActorRecord | null> {
  const actor = await ctx.store.actors.getLocal(username.toLowerCase());
  return actor !== null && actor.local ? actor : null;
}

const KEY_CACHE_LIMIT = 1000;
/**
 * How long a signing key read from the store is used without reading it again.
 * Keys are read for every delivery; re-reading now and then lets a key
 * replaced in the store (by another process, or a host application) take
 * over without a restart. Parsed keys are kept by their PEM text, so a new
 * key is parsed once and an unchanged one never again.
 */
export const LOCAL_KEY_MEMORY_MS = 60_000;
const keyCaches = new WeakMap<Store, TtlCache<KeyRecord>>();

/**
 * The signing key (with its private half) of a local actor or of the
 * instance actor. Throws when the actor has none: only local actors sign.
 */
export async function localActorKey(ctx: FederationContext, actorUri: string): Promise<KeyRecord> {
  let cache = keyCaches.get(ctx.store);
  if (cache === undefined) {
    cache = createTtlCache<KeyRecord>({ maxEntries: KEY_CACHE_LIMIT, ttlMs: LOCAL_KEY_MEMORY_MS });
    keyCaches.set(ctx.store, cache);
  }
  const now = ctx.now();
  const cached = cache.get(actorUri, now);
  if (cached !== undefined) return cached;
  if (actorUri === ctx.uris.instanceActor()) return (await instanceActor(ctx)).key;
  const keys = await ctx.store.keys.listForOwner(actorUri);
  const key = keys.find((candidate) => candidate.privateKeyPem !== null);
  if (key === undefined) throw new Error(`${actorUri} has no private key: it is not a local actor`);
  cache.set(actorUri, key, now);
  return key;
}

function isLocalActorType(type: string): type is LocalActorType {
  return (LOCAL_ACTOR_TYPES as readonly string[]).includes(type);
}

function taken(username: string): CreateLocalActorResult {
  return { ok: false, reason: "taken", message: `The username "${username}" is already taken` };
}

function localActorRecord(
  ctx: FederationContext,
  params: CreateLocalActorParameters & { username: string; type: LocalActorType },
): ActorRecord {
  const { uris } = ctx;
  const username = params.username;
  const now = ctx.now().toISOString();
  return {
    uri: uris.actor(username),
    type: params.type,
    username,
    host: new URL(uris.origin).host.toLowerCase(),
    local: true,
    inbox: uris.inbox(username),
    sharedInbox: uris.sharedInbox(),
    outbox: uris.outbox(username),
    followersUri: uris.followers(username),
    followingUri: uris.following(username),
    featuredUri: uris.featured(username),
    url: uris.profilePage(username),
    name: params.name ?? null,
    summary: params.summary ?? null,
    iconUrl: params.iconUrl ?? null,
    manuallyApprovesFollowers: params.manuallyApprovesFollowers ?? false,
    discoverable: params.discoverable ?? true,
    alsoKnownAs: [],
    movedTo: null,
    fields: (params.fields ?? []).map((field) => ({ name: field.name, value: field.value })),
    published: now,
    updatedAt: now,
    fetchedAt: null,
    deletedAt: null,
    document: null,
  };
}
