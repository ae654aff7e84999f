/**
 * Actor routes: the actor documents (negotiated: JSON for servers, the
 * profile page for browsers), the profile page at the origin root, and the
 * instance actor.
 */
import type { Context, Hono } from "hono";
import { instanceActor, type InstanceActor } from "../federation/actors/instance-actor.ts";
import type { FederationContext } from "../federation/context.ts";
import { buildInstanceActorDocument } from "../protocol/actor-document.ts";
import { isValidUsername } from "../protocol/uris.ts";
import type { ActorRecord } from "../store/records.ts";
import type { AppEnv } from "./app-env.ts";
import { HttpError } from "./errors.ts";
import {
  createDocumentCache,
  documentResponse,
  isCurrent,
  readDocumentVersion,
  renderedDocument,
  type RenderedDocument,
} from "./document-cache.ts";
import { htmlHeaders, renderMessagePage } from "./html/layout.ts";
import { renderProfilePage } from "./html/profile-page.ts";
import { servedActorDocument, tombstoneDocument } from "./local-actor-document.ts";
import { ACTIVITY_JSON, LD_JSON_ACTIVITY_STREAMS, negotiate, requestedRepresentation, type Representation } from "./negotiation.ts";
import { publicHost } from "./public-url.ts";

/** Posts shown on a profile page. */
const PROFILE_POSTS = 20;

/** Rendered actor documents kept per app; an actor takes one entry per representation asked for. */
const ACTOR_DOCUMENT_CACHE_ENTRIES = 1000;

const VARY_ACCEPT = { Vary: "Accept" } as const;

/** Parameters of {@link findLocalActor}. */
export interface FindLocalActorParams {
  readonly ctx: FederationContext;
  readonly username: string | undefined;
}

/**
 * The local actor a path names, deleted ones included; 404 for anything
 * else. The instance actor shares the actor table but is not a user, and its
 * name (a host) is never a valid username, so it is not found here.
 */
export async function findLocalActor(params: FindLocalActorParams): Promise<ActorRecord> {
  const { ctx, username } = params;
  if (username === undefined || !isValidUsername(username)) {
    throw new HttpError({ status: 404, message: "no such actor" });
  }
  const actor = await ctx.store.actors.getLocal(username.toLowerCase());
  if (actor === null || !actor.local) throw new HttpError({ status: 404, message: "no such actor" });
  return actor;
}

/** Parameters of {@link renderProfile}. */
interface RenderProfileParams {
  readonly ctx: FederationContext;
  readonly c: Context<AppEnv>;
  readonly actor: ActorRecord;
}

async function renderProfile(params: RenderProfileParams): Promise<Response> {
  const { ctx, c, actor } = params;
  const [followers, following, posts] = await Promise.all([
    ctx.store.follows.countFollowers(actor.uri, "accepted"),
    ctx.store.follows.countFollowing(actor.uri, "accepted"),
    ctx.store.objects.listByAuthor(actor.uri, { visibilities: ["public", "unlisted"] }, { limit: PROFILE_POSTS }),
  ]);
  const page = renderProfilePage({
    actor,
    host: publicHost({ ctx }),
    followers,
    following,
    posts: posts.items.filter((post) => post.deletedAt === null),
  });
  return c.body(page, 200, { ...htmlHeaders(), Vary: "Accept" });
}

/** Parameters of {@link renderActorDocument}. */
interface RenderActorDocumentParams {
  readonly ctx: FederationContext;
  readonly actor: ActorRecord;
  readonly representation: Exclude<Representation, "html">;
}

/** The actor document (or, once deleted, its Tombstone with 410) as served to servers. */
async function renderActorDocument(params: RenderActorDocumentParams): Promise<RenderedDocument> {
  const { ctx, actor } = params;
  const contentType = params.representation === "ld" ? LD_JSON_ACTIVITY_STREAMS : ACTIVITY_JSON;
  if (actor.deletedAt !== null) {
    const tombstone = tombstoneDocument({ id: actor.uri, formerType: actor.type, deleted: actor.deletedAt });
    return renderedDocument({ status: 410, body: JSON.stringify(tombstone), contentType, headers: VARY_ACCEPT });
  }
  const document = await servedActorDocument({ ctx, actor });
  if (document === null) throw new Error(`local actor ${actor.uri} has no key`);
  return renderedDocument({ body: JSON.stringify(document), contentType, headers: VARY_ACCEPT });
}

/** Parameters of {@link registerActorRoutes}. */
export interface RegisterActorRoutesParams {
  readonly app: Hono<AppEnv>;
  readonly ctx: FederationContext;
}

/** Adds the actor, profile page and instance actor routes. */
export function registerActorRoutes(params: RegisterActorRoutesParams): void {
  const { app, ctx } = params;
  const prefix = ctx.config.prefix;

  const documents = createDocumentCache({ maxEntries: ACTOR_DOCUMENT_CACHE_ENTRIES });

  app.get(`${prefix}/users/:username`, async (c) => {
    const representation = requestedRepresentation(c);
    if (representation === "html") {
      c.header("Vary", "Accept");
      c.set("format", "html");
      const actor = await findLocalActor({ ctx, username: c.req.param("username") });
      if (actor.deletedAt !== null) throw new HttpError({ status: 410, message: "This account has been deleted." });
      return renderProfile({ ctx, c, actor });
    }
    const username = c.req.param("username").toLowerCase();
    const key = `${representation} ${username}`;
    // A hit costs this one read; see document-cache.ts for why it is enough.
    const version = isValidUsername(username) ? await readDocumentVersion(ctx, username) : null;
    const cached = documents.get(key);
    if (isCurrent(cached, version ?? null)) return documentResponse(c.req.raw, cached.document);

    // Errors (404) vary by Accept too.
    c.header("Vary", "Accept");
    const actor = await findLocalActor({ ctx, username });
    const document = await renderActorDocument({ ctx, actor, representation });
    if (version !== undefined && version !== null && version.uri === actor.uri) {
      documents.set(key, { username, uri: version.uri, version: version.version, document });
    }
    return documentResponse(c.req.raw, document);
  });

  // The profile page lives at the origin root even when ActivityPub routes are under a prefix.
  app.get("/:handle{@[^/]+}", async (c) => {
    const representation = negotiate(c);
    if (representation !== "html") {
      // Servers asking the profile URL for JSON are sent to the actor id, which is what they want.
      const actor = await findLocalActor({ ctx, username: c.req.param("handle").slice(1) });
      return c.redirect(actor.uri, 302);
    }
    c.set("format", "html");
    const actor = await findLocalActor({ ctx, username: c.req.param("handle").slice(1) });
    if (actor.deletedAt !== null) throw new HttpError({ status: 410, message: "This account has been deleted." });
    return renderProfile({ ctx, c, actor });
  });

  // The instance actor is loaded once per store and never changes while the
  // process holds it (see instance-actor.ts), so neither does its document.
  const instanceDocuments = new WeakMap<InstanceActor, Partial<Record<Representation, RenderedDocument>>>();

  app.get(`${prefix}/actor`, async (c) => {
    const representation = negotiate(c);
    const instance = await instanceActor(ctx);
    const { actor, key } = instance;
    if (representation === "html") {
      c.set("format", "html");
      const page = renderMessagePage({
        title: actor.name ?? actor.username,
        message: "This is the server's own actor. It signs requests on behalf of the server and posts nothing.",
      });
      return c.body(page, 200, { ...htmlHeaders(), Vary: "Accept" });
    }
    let rendered = instanceDocuments.get(instance)?.[representation];
    if (rendered === undefined) {
      const document = buildInstanceActorDocument({
        uris: ctx.uris,
        publicKeyPem: key.publicKeyPem,
        published: actor.published ?? undefined,
        name: actor.name ?? undefined,
      });
      const contentType = representation === "ld" ? LD_JSON_ACTIVITY_STREAMS : ACTIVITY_JSON;
      rendered = renderedDocument({ body: JSON.stringify(document), contentType, headers: VARY_ACCEPT });
      instanceDocuments.set(instance, { ...instanceDocuments.get(instance), [representation]: rendered });
    }
    return documentResponse(c.req.raw, rendered);
  });
}
