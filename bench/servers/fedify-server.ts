/**
 * The reference server: a minimal ActivityPub server on @fedify/fedify with
 * an in-process queue and an in-memory key–value store. Its actors have an
 * RSA-2048 key, a followers collection, a personal inbox and the shared
 * inbox; Follows are accepted at once; Creates are counted. Run as a child of
 * bench/run.ts with a JSON {@link ServerLaunchOptions} argument.
 */
import { webcrypto } from "node:crypto";
import { createServer } from "node:http";
import { createFederation, InProcessMessageQueue, MemoryKvStore } from "@fedify/fedify";
import type { Context } from "@fedify/fedify";
import type { Recipient } from "@fedify/vocab";
import { Accept, Create, Endpoints, Follow, Note, Person, PUBLIC_COLLECTION } from "@fedify/vocab";
import { getRequestListener } from "@hono/node-server";
import { serverLaunchOptionsSchema } from "./control-protocol.ts";
import type { ControlApi, ServerLaunchOptions, ServerReady } from "./control-protocol.ts";
import { startControlServer } from "./control-server.ts";

/** Followers per collection page, the same as Outpost's URI collections. */
const PAGE_SIZE = 40;

interface LocalActor {
  readonly keyPair: CryptoKeyPair;
  /** Follower ids in the order they came; pages run newest first. */
  readonly followerIds: string[];
  /** Delivery addresses of followers that have them (seeded members have none). */
  readonly recipients: Map<string, Recipient>;
}

const options: ServerLaunchOptions = serverLaunchOptionsSchema.parse(JSON.parse(process.argv[2] ?? "{}"));
const origin = `http://127.0.0.1:${options.port}`;
const actors = new Map<string, LocalActor>();
let storedPosts = 0;
let noteSequence = 0;

const federation = createFederation<void>({
  kv: new MemoryKvStore(),
  queue: new InProcessMessageQueue(),
  origin,
  allowPrivateAddress: true,
});

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (!actors.has(identifier)) return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: `Bench ${identifier}`,
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      followers: ctx.getFollowersUri(identifier),
      url: ctx.getActorUri(identifier),
      publicKey: keys[0]?.cryptographicKey,
      assertionMethods: keys.map((key) => key.multikey),
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) => {
    const actor = actors.get(identifier);
    return actor === undefined ? [] : [actor.keyPair];
  });

federation
  .setFollowersDispatcher("/users/{identifier}/followers", (_ctx, identifier, cursor) => {
    const actor = actors.get(identifier);
    if (actor === undefined) return null;
    // No cursor: the whole list, which is what sending to "followers" asks for.
    if (cursor === null) return { items: [...actor.recipients.values()] };
    const offset = Number.parseInt(cursor, 10);
    if (!Number.isSafeInteger(offset) || offset < 0) return null;
    const ids = actor.followerIds;
    const items: Recipient[] = [];
    for (let k = offset; k < Math.min(ids.length, offset + PAGE_SIZE); k++) {
      const id = ids[ids.length - 1 - k]!;
      items.push(actor.recipients.get(id) ?? { id: new URL(id), inboxId: null });
    }
    const next = offset + PAGE_SIZE < ids.length ? String(offset + PAGE_SIZE) : null;
    return { items, nextCursor: next, prevCursor: offset > 0 ? String(Math.max(0, offset - PAGE_SIZE)) : null };
  })
  .setCounter((_ctx, identifier) => actors.get(identifier)?.followerIds.length ?? null)
  .setFirstCursor(() => "0");

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Follow, async (ctx, follow) => {
    if (follow.objectId === null) return;
    const parsed = ctx.parseUri(follow.objectId);
    if (parsed?.type !== "actor") return;
    const actor = actors.get(parsed.identifier);
    if (actor === undefined) return;
    const follower = await follow.getActor(ctx);
    if (follower === null || follower.id === null || follower.inboxId === null) return;
    const id = follower.id.href;
    if (!actor.recipients.has(id)) actor.followerIds.push(id);
    actor.recipients.set(id, follower);
    const accept = new Accept({
      id: new URL(`${follow.objectId.href}#accepts/${webcrypto.randomUUID()}`),
      actor: follow.objectId,
      object: follow,
    });
    await ctx.sendActivity({ identifier: parsed.identifier }, follower, accept);
  })
  .on(Create, async () => {
    storedPosts++;
  });

const listener = getRequestListener((request) => federation.fetch(request, { contextData: undefined }));
const server = createServer(listener);

await addActor(options.firstActor);
await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));

const handlers = {
  "POST /actors": async ({ usernames }: ControlApi["POST /actors"]["body"]) => {
    let created = 0;
    for (const username of usernames) if (await addActor(username)) created++;
    return { created };
  },
  "POST /follow": async () => {
    throw new Error("the reference server keeps every post; it needs no follows");
  },
  "POST /post": async ({ actor }: ControlApi["POST /post"]["body"]) => {
    if (!actors.has(actor)) throw new Error(`no actor ${actor}`);
    const ctx = federation.createContext(new URL(origin), undefined);
    return publish(ctx, actor);
  },
  "POST /seed-followers": async ({ actor, followers }: ControlApi["POST /seed-followers"]["body"]) => {
    const local = actors.get(actor);
    if (local === undefined) throw new Error(`no actor ${actor}`);
    for (const follower of followers) {
      if (!local.recipients.has(follower.id)) local.followerIds.push(follower.id);
      local.recipients.set(follower.id, {
        id: new URL(follower.id),
        inboxId: new URL(follower.inbox),
        endpoints: follower.sharedInbox === null ? null : { sharedInbox: new URL(follower.sharedInbox) },
      });
    }
    return { seeded: followers.length };
  },
  "POST /seed-member-ids": async ({ actor, idPrefix, count }: ControlApi["POST /seed-member-ids"]["body"]) => {
    const local = actors.get(actor);
    if (local === undefined) throw new Error(`no actor ${actor}`);
    const began = performance.now();
    for (let i = 0; i < count; i++) local.followerIds.push(`${idPrefix}${i}`);
    return { seeded: count, ms: performance.now() - began };
  },
  "GET /counts": async (_body: null, query: URLSearchParams) => {
    const actor = actors.get(query.get("actor") ?? "");
    return {
      storedPosts,
      // This server follows no one: it keeps every post it receives.
      following: 0,
      followers: actor?.followerIds.length ?? 0,
      jobsPending: -1,
    };
  },
};
const controlPort = await startControlServer({ token: options.controlToken, handlers });
const ready: ServerReady = { url: origin, controlPort };
process.send?.({ kind: "event", event: "ready", payload: ready });
process.on("disconnect", () => process.exit(0));

async function addActor(identifier: string): Promise<boolean> {
  if (actors.has(identifier)) return false;
  const keyPair = (await webcrypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  actors.set(identifier, { keyPair, followerIds: [], recipients: new Map() });
  return true;
}

async function publish(ctx: Context<void>, identifier: string): Promise<{ objectId: string; activityId: string }> {
  const actorUri = ctx.getActorUri(identifier);
  const followersUri = ctx.getFollowersUri(identifier);
  const serial = `${Date.now().toString(36)}-${++noteSequence}`;
  const noteId = new URL(`${actorUri.href}/notes/${serial}`);
  const note = new Note({
    id: noteId,
    attribution: actorUri,
    to: PUBLIC_COLLECTION,
    cc: followersUri,
    content: `<p>Benchmark post ${serial}</p>`,
  });
  const create = new Create({
    id: new URL(`${noteId.href}/activity`),
    actor: actorUri,
    object: note,
    to: PUBLIC_COLLECTION,
    cc: followersUri,
  });
  await ctx.sendActivity({ identifier }, "followers", create, { preferSharedInbox: true });
  return { objectId: noteId.href, activityId: create.id!.href };
}
