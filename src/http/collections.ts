/**
 * Collection routes: an actor's outbox, followers, following, liked and
 * featured, the instance actor's (empty) outbox, and each object's replies,
 * likes and shares. Browsers asking for a collection are sent to the
 * profile page.
 */
import type { Context, Hono } from "hono";
import type { FederationContext } from "../federation/context.ts";
import { stripHiddenRecipients } from "../protocol/addressing.ts";
import { buildOrderedCollection } from "../protocol/collections.ts";
import type { ActorRecord, Page, PageRequest, Visibility } from "../store/records.ts";
import { findLocalActor } from "./actors.ts";
import type { AppEnv } from "./app-env.ts";
import { collectionDocument, parseCollectionQuery, type CollectionSource } from "./collection-paging.ts";
import { HttpError } from "./errors.ts";
import { activityJsonResponse, negotiate } from "./negotiation.ts";
import { currentActivityDocument } from "./objects.ts";
import { findReadableObject } from "./readable-object.ts";

/** Page sizes: outbox pages embed whole activities, the others only URIs. */
export const OUTBOX_PAGE_SIZE = 20;
export const URI_PAGE_SIZE = 40;

/** Featured posts are few (servers show a handful) and are served inline. */
const FEATURED_LIMIT = 50;

const ANYONE: readonly Visibility[] = ["public", "unlisted"];
const OUTBOX_TYPES = ["Create", "Announce"];

/** Maps a page's items, keeping its cursors. */
async function mapPage<T>(page: Page<T>, map: (item: T) => unknown): Promise<Page<unknown>> {
  return { items: await Promise.all(page.items.map(map)), next: page.next, prev: page.prev };
}

/** Parameters of {@link registerCollectionRoutes}. */
export interface RegisterCollectionRoutesParams {
  readonly app: Hono<AppEnv>;
  readonly ctx: FederationContext;
}

/** Adds every collection route. */
export function registerCollectionRoutes(params: RegisterCollectionRoutesParams): void {
  const { app, ctx } = params;
  const prefix = ctx.config.prefix;
  const store = ctx.store;

  /** Serves one actor collection, negotiated, with the actor checked first. */
  const actorCollection = (
    path: string,
    pageSize: number,
    idOf: (username: string) => string,
    sourceOf: (actor: ActorRecord) => CollectionSource,
  ) => {
    app.get(`${prefix}/users/:username/${path}`, async (c) => {
      const representation = negotiate(c);
      const actor = await findLocalActor({ ctx, username: c.req.param("username") });
      if (representation === "html") return c.redirect(ctx.uris.profilePage(actor.username), 302);
      if (actor.deletedAt !== null) throw new HttpError({ status: 410, message: "the actor has been deleted" });
      const query = parseCollectionQuery({ query: c.req.query() });
      const document = await collectionDocument({ id: idOf(actor.username), query, pageSize, source: sourceOf(actor) });
      return activityJsonResponse({ c, document, representation });
    });
  };

  actorCollection("outbox", OUTBOX_PAGE_SIZE, ctx.uris.outbox, (actor) => {
    const filter = { visibilities: ANYONE, types: OUTBOX_TYPES };
    return {
      total: () => store.activities.countByActor(actor.uri, filter),
      page: async (request) =>
        mapPage(await store.activities.listByActor(actor.uri, filter, request), (activity) =>
          currentActivityDocument({ ctx, activity }),
        ),
    };
  });

  actorCollection("followers", URI_PAGE_SIZE, ctx.uris.followers, (actor) => ({
    total: () => store.follows.countFollowers(actor.uri, "accepted"),
    page: async (request) =>
      mapPage(await store.follows.listFollowers(actor.uri, "accepted", request), (follow) => follow.followerUri),
  }));

  actorCollection("following", URI_PAGE_SIZE, ctx.uris.following, (actor) => ({
    total: () => store.follows.countFollowing(actor.uri, "accepted"),
    page: async (request) =>
      mapPage(await store.follows.listFollowing(actor.uri, "accepted", request), (follow) => follow.followeeUri),
  }));

  actorCollection("liked", URI_PAGE_SIZE, ctx.uris.liked, (actor) => ({
    total: () => store.reactions.countByActor(actor.uri, "Like"),
    page: async (request) =>
      mapPage(await store.reactions.listByActor(actor.uri, "Like", request), (like) => like.objectUri),
  }));

  app.get(`${prefix}/users/:username/collections/featured`, async (c) => {
    const representation = negotiate(c);
    const actor = await findLocalActor({ ctx, username: c.req.param("username") });
    if (representation === "html") return c.redirect(ctx.uris.profilePage(actor.username), 302);
    if (actor.deletedAt !== null) throw new HttpError({ status: 410, message: "the actor has been deleted" });
    const id = ctx.uris.featured(actor.username);
    const entries = await store.collections.list(id, { limit: FEATURED_LIMIT });
    const objects = await Promise.all(entries.items.map((entry) => store.objects.get(entry.itemUri)));
    const items = objects
      .filter((object) => object !== null && object.deletedAt === null && ANYONE.includes(object.visibility))
      .map((object) => {
        const { "@context": _context, ...document } = stripHiddenRecipients(object!.document);
        return document;
      });
    const document = buildOrderedCollection({ id, totalItems: items.length, orderedItems: items });
    return activityJsonResponse({ c, document, representation });
  });

  // The instance actor posts nothing, but servers fetch its outbox like any other.
  app.get(`${prefix}/actor/outbox`, (c) => {
    const document = buildOrderedCollection({ id: ctx.uris.instanceOutbox(), totalItems: 0, orderedItems: [] });
    return activityJsonResponse({ c, document, representation: negotiate(c) === "ld" ? "ld" : "activity" });
  });

  /** Serves one per-object collection, readable by whoever may read the object. */
  const objectCollection = (
    name: "replies" | "likes" | "shares",
    sourceOf: (objectUri: string) => CollectionSource,
  ) => {
    app.get(`${prefix}/users/:username/objects/:id/${name}`, async (c: Context<AppEnv>) => {
      const representation = negotiate(c);
      const found = await findReadableObject({ ctx, c, username: c.req.param("username"), id: c.req.param("id") });
      if (representation === "html") return c.redirect(found.object.uri, 302);
      if (found.kind === "deleted") throw new HttpError({ status: 410, message: "the object has been deleted" });
      const query = parseCollectionQuery({ query: c.req.query() });
      const id = ctx.uris[name](found.object.uri);
      const document = await collectionDocument({ id, query, pageSize: URI_PAGE_SIZE, source: sourceOf(found.object.uri) });
      return activityJsonResponse({ c, document, representation });
    });
  };

  objectCollection("replies", (objectUri) => {
    const filter = { visibilities: ANYONE };
    return {
      total: () => store.objects.countReplies(objectUri, filter),
      // Our own replies are served whole; other servers' only by id, which stays authoritative there.
      page: async (request: PageRequest) =>
        mapPage(await store.objects.listReplies(objectUri, filter, request), (reply) => {
          if (!reply.local) return reply.uri;
          const { "@context": _context, ...document } = stripHiddenRecipients(reply.document);
          return document;
        }),
    };
  });

  for (const [name, type] of [["likes", "Like"], ["shares", "Announce"]] as const) {
    objectCollection(name, (objectUri) => ({
      total: () => store.reactions.count(objectUri, type),
      page: async (request) => mapPage(await store.reactions.list(objectUri, type, request), (reaction) => reaction.activityUri),
    }));
  }
}
