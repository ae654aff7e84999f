/**
 * Collections clients made (by a Create of a Collection or
 * OrderedCollection) served at their ids: the stored document with the
 * items the actor added, paged like every other collection. Whoever may
 * read the collection object may read its items. Every other object falls
 * through to the ordinary object route.
 */
import type { Hono } from "hono";
import { isCollectionType } from "../../federation/c2s/client-collections.ts";
import { stripHiddenRecipients } from "../../protocol/addressing.ts";
import { isValidUsername } from "../../protocol/uris.ts";
import { AS_CONTEXT } from "../../protocol/vocabulary.ts";
import type { AppEnv } from "../app-env.ts";
import { collectionDocument, parseCollectionQuery } from "../collection-paging.ts";
import { HttpError } from "../errors.ts";
import { activityJsonResponse, negotiate } from "../negotiation.ts";
import { checkReadAccess } from "../object-access.ts";
import { publicUrl } from "../public-url.ts";
import type { ClientApi } from "./client-api.ts";
import { viewerOf } from "./viewer.ts";

const PAGE_SIZE = 40;

/** Parameters of {@link registerCollectionRoute}. */
export interface RegisterCollectionRouteParams {
  readonly app: Hono<AppEnv>;
  readonly api: ClientApi;
}

/** Adds the route serving client-made collections at `/users/:username/objects/:id`. */
export function registerCollectionRoute(params: RegisterCollectionRouteParams): void {
  const { app, api } = params;
  const { ctx } = api;

  app.get(`${ctx.config.prefix}/users/:username/objects/:id`, async (c, next) => {
    const username = c.req.param("username");
    const id = c.req.param("id");
    const representation = negotiate(c);
    if (representation === "html" || !isValidUsername(username) || !/^[A-Za-z0-9_-]{1,100}$/.test(id)) return next();
    const object = await ctx.store.objects.get(ctx.uris.object(username.toLowerCase(), id));
    if (object === null || !object.local || object.deletedAt !== null || !isCollectionType(object.type)) return next();

    const owner = object.attributedTo === null ? null : await ctx.store.actors.get(object.attributedTo);
    const mayRead =
      (owner !== null && (await viewerOf({ api, c, actor: owner, scope: "read:statuses" })) === "owner") ||
      (
        await checkReadAccess({
          ctx,
          request: c.req.raw,
          url: publicUrl({ ctx, request: c.req.raw }),
          visibility: object.visibility,
          recipients: object.recipients,
          authorUri: object.attributedTo ?? "",
        })
      ).ok;
    if (!mayRead) throw new HttpError({ status: 404, message: "no such object" });

    const query = parseCollectionQuery({ query: c.req.query() });
    const paged = await collectionDocument({
      id: object.uri,
      query,
      pageSize: PAGE_SIZE,
      source: {
        total: () => ctx.store.collections.count(object.uri),
        page: async (request) => {
          const page = await ctx.store.collections.list(object.uri, request);
          return { items: page.items.map((item) => item.itemUri), next: page.next, prev: page.prev };
        },
      },
    });
    const unordered = object.type === "Collection";
    let document: Record<string, unknown>;
    if (query.kind === "collection") {
      const { "@context": context, ...stored } = stripHiddenRecipients(object.document);
      const { "@context": _context, id: _id, type: _type, ...summary } = paged;
      document = { "@context": context ?? AS_CONTEXT, ...stored, ...summary };
    } else if (unordered) {
      const { orderedItems, ...page } = paged;
      document = { ...page, type: "CollectionPage", items: orderedItems };
    } else {
      document = paged;
    }
    const headers: Record<string, string> = object.visibility === "public" || object.visibility === "unlisted" ? {} : { "Cache-Control": "private, no-store" };
    return activityJsonResponse({ c, document, representation, headers });
  });
}
