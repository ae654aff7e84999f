/**
 * Reading an actor's inbox and outbox as a client. The inbox holds what
 * reached the actor, newest first: its manager (token with `read:inbox`)
 * sees all of it, anyone else only the public part. The outbox as its
 * manager reads it (token with `read:outbox`) holds every activity of the
 * actor, followers-only and direct ones included; other readers fall
 * through to the public outbox route.
 */
import type { Hono } from "hono";
import type { ActivityRecord, Page, PageRequest, Visibility } from "../../store/records.ts";
import type { AppEnv } from "../app-env.ts";
import { collectionDocument, parseCollectionQuery, pageUrl, type CollectionQuery } from "../collection-paging.ts";
import { activityJsonResponse, negotiate } from "../negotiation.ts";
import { currentActivityDocument } from "../objects.ts";
import { buildOrderedCollectionPage } from "../../protocol/collections.ts";
import { AS_CONTEXT } from "../../protocol/vocabulary.ts";
import { bearerTokenOf } from "../api/require-token.ts";
import type { ClientApi } from "./client-api.ts";
import { liveLocalActor, viewerOf } from "./viewer.ts";

const PAGE_SIZE = 20;
const EVERY_VISIBILITY: readonly Visibility[] = ["public", "unlisted", "followers", "direct"];
const PUBLIC_VISIBILITY: readonly Visibility[] = ["public", "unlisted"];

/** Parameters of {@link registerOwnerReads}. */
export interface RegisterOwnerReadsParams {
  readonly app: Hono<AppEnv>;
  readonly api: ClientApi;
}

/** Adds `GET /users/:username/inbox` and the manager's `GET /users/:username/outbox`. */
export function registerOwnerReads(params: RegisterOwnerReadsParams): void {
  const { app, api } = params;
  const { ctx } = api;
  const prefix = ctx.config.prefix;
  const served = async (page: Page<ActivityRecord>): Promise<Page<unknown>> => ({
    items: await Promise.all(page.items.map((activity) => currentActivityDocument({ ctx, activity }))),
    next: page.next,
    prev: page.prev,
  });

  app.get(`${prefix}/users/:username/inbox`, async (c) => {
    const actor = await liveLocalActor({ api, username: c.req.param("username") });
    const viewer = await viewerOf({ api, c, actor, scope: "read:inbox" });
    const filter = { visibilities: viewer === "owner" ? EVERY_VISIBILITY : PUBLIC_VISIBILITY };
    const query = parseCollectionQuery({ query: c.req.query() });
    // The inbox keeps no count, so its collection has pages but no totalItems.
    const document = await uncountedCollection({
      id: actor.inbox,
      query,
      page: async (request) => served(await ctx.store.inbox.list(actor.uri, filter, request)),
    });
    return activityJsonResponse({
      c,
      document,
      representation: negotiate(c) === "ld" ? "ld" : "activity",
      headers: { "Cache-Control": "private, no-store", Vary: "Accept, Authorization" },
    });
  });

  app.get(`${prefix}/users/:username/outbox`, async (c, next) => {
    // A browser or another server reads the public outbox; only a token of the manager reads more.
    if (bearerTokenOf({ c }) === null) return next();
    const actor = await liveLocalActor({ api, username: c.req.param("username") });
    if ((await viewerOf({ api, c, actor, scope: "read:outbox" })) !== "owner") return next();
    const filter = { visibilities: EVERY_VISIBILITY };
    const document = await collectionDocument({
      id: ctx.uris.outbox(actor.username),
      query: parseCollectionQuery({ query: c.req.query() }),
      pageSize: PAGE_SIZE,
      source: {
        total: () => ctx.store.activities.countByActor(actor.uri, filter),
        page: async (request) => served(await ctx.store.activities.listByActor(actor.uri, filter, request)),
      },
    });
    return activityJsonResponse({
      c,
      document,
      representation: negotiate(c) === "ld" ? "ld" : "activity",
      headers: { "Cache-Control": "private, no-store", Vary: "Accept, Authorization" },
    });
  });
}

/** Parameters of {@link uncountedCollection}. */
interface UncountedCollectionParams {
  readonly id: string;
  readonly query: CollectionQuery;
  readonly page: (request: PageRequest) => Promise<Page<unknown>>;
}

/** An OrderedCollection (or one of its pages) without a total. */
async function uncountedCollection(params: UncountedCollectionParams): Promise<Record<string, unknown>> {
  const { id, query } = params;
  if (query.kind === "collection") {
    return { "@context": AS_CONTEXT, id, type: "OrderedCollection", first: pageUrl({ collectionId: id }), last: pageUrl({ collectionId: id, after: "" }) };
  }
  const page = await params.page({ limit: PAGE_SIZE, before: query.before, after: query.after });
  return buildOrderedCollectionPage({
    id: pageUrl({ collectionId: id, before: query.before, after: query.after }),
    partOf: id,
    orderedItems: page.items,
    next: page.next === null ? undefined : pageUrl({ collectionId: id, before: page.next }),
    prev: page.prev === null ? undefined : pageUrl({ collectionId: id, after: page.prev }),
  });
}
