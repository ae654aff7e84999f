/**
 * Object and activity routes: each local object and activity is served at
 * its id. Deleted objects answer 410 with their Tombstone; non-public ones
 * only to readers they were meant for (see object-access.ts), and never as
 * HTML, since a browser request is never signed.
 */
import type { Hono } from "hono";
import type { FederationContext } from "../federation/context.ts";
import { stripHiddenRecipients } from "../protocol/addressing.ts";
import { isJsonObject } from "../protocol/json-ld.ts";
import { isValidUsername } from "../protocol/uris.ts";
import { AS_CONTEXT } from "../protocol/vocabulary.ts";
import type { ActivityRecord, ObjectRecord } from "../store/records.ts";
import type { AppEnv } from "./app-env.ts";
import { HttpError } from "./errors.ts";
import { htmlHeaders } from "./html/layout.ts";
import { renderPostPage } from "./html/post-page.ts";
import { tombstoneDocument } from "./local-actor-document.ts";
import { activityJsonResponse, negotiate } from "./negotiation.ts";
import { checkReadAccess } from "./object-access.ts";
import { publicHost, publicUrl } from "./public-url.ts";
import { findReadableObject } from "./readable-object.ts";

function isPublic(visibility: ObjectRecord["visibility"]): boolean {
  return visibility === "public" || visibility === "unlisted";
}

/** Headers that keep shared caches from storing what only some readers may see. */
function privacyHeaders(visibility: ObjectRecord["visibility"]): Record<string, string> {
  return isPublic(visibility) ? {} : { "Cache-Control": "private, no-store" };
}

/** A stored object's document as served: with a context, without blind recipients. */
function servedObject(object: ObjectRecord): Record<string, unknown> {
  const document = stripHiddenRecipients(object.document);
  return "@context" in document ? document : { "@context": AS_CONTEXT, ...document };
}

/** Parameters of {@link currentActivityDocument}. */
export interface CurrentActivityDocumentParams {
  readonly ctx: FederationContext;
  readonly activity: ActivityRecord;
}

/**
 * An activity's document as served: without blind recipients, and with an
 * embedded object of ours replaced by its current state, so that a post
 * edited or deleted since is not served as it was when created.
 */
export async function currentActivityDocument(params: CurrentActivityDocumentParams): Promise<Record<string, unknown>> {
  const { ctx, activity } = params;
  const document = stripHiddenRecipients(activity.document);
  if (!isJsonObject(document.object) || activity.objectUri === null || !ctx.uris.isLocal(activity.objectUri)) {
    return document;
  }
  const object = await ctx.store.objects.get(activity.objectUri);
  if (object === null) return document;
  const { "@context": _context, ...current } = stripHiddenRecipients(object.document);
  return { ...document, object: current };
}

/** Parameters of {@link registerObjectRoutes}. */
export interface RegisterObjectRoutesParams {
  readonly app: Hono<AppEnv>;
  readonly ctx: FederationContext;
}

/** Adds the routes serving local objects and activities at their ids. */
export function registerObjectRoutes(params: RegisterObjectRoutesParams): void {
  const { app, ctx } = params;
  const prefix = ctx.config.prefix;

  app.get(`${prefix}/users/:username/objects/:id`, async (c) => {
    const representation = negotiate(c);
    if (representation === "html") c.set("format", "html");
    const found = await findReadableObject({ ctx, c, username: c.req.param("username"), id: c.req.param("id") });
    const { object } = found;
    if (found.kind === "deleted") {
      if (representation === "html") throw new HttpError({ status: 410, message: "This post has been deleted." });
      return activityJsonResponse({ c, document: servedObject(object), representation, status: 410 });
    }
    if (representation === "html") {
      // A browser is never a signed reader: private posts do not exist for it.
      if (!isPublic(object.visibility)) throw new HttpError({ status: 404, message: "no such object" });
      const author = object.attributedTo === null ? null : await ctx.store.actors.get(object.attributedTo);
      const page = renderPostPage({
        object,
        author,
        host: publicHost({ ctx }),
        profileUrl: author?.url ?? undefined,
      });
      return c.body(page, 200, { ...htmlHeaders(), Vary: "Accept" });
    }
    return activityJsonResponse({
      c,
      document: servedObject(object),
      representation,
      headers: privacyHeaders(object.visibility),
    });
  });

  app.get(`${prefix}/users/:username/activities/:id`, async (c) => {
    const representation = negotiate(c);
    if (representation === "html") c.set("format", "html");
    const username = c.req.param("username");
    const id = c.req.param("id");
    if (!isValidUsername(username) || !/^[A-Za-z0-9_-]{1,100}$/.test(id)) {
      throw new HttpError({ status: 404, message: "no such activity" });
    }
    const activity = await ctx.store.activities.get(ctx.uris.activity(username.toLowerCase(), id));
    if (activity === null || !activity.local) throw new HttpError({ status: 404, message: "no such activity" });
    const access = await checkReadAccess({
      ctx,
      request: c.req.raw,
      url: publicUrl({ ctx, request: c.req.raw }),
      visibility: activity.visibility,
      recipients: activity.recipients,
      authorUri: activity.actorUri,
    });
    if (!access.ok) throw new HttpError({ status: 404, message: "no such activity" });
    // Creating something deleted since is gone too: serving it would bring the content back.
    if (activity.type === "Create" && activity.objectUri !== null) {
      const object = await ctx.store.objects.get(activity.objectUri);
      if (object !== null && object.deletedAt !== null) {
        if (representation === "html") throw new HttpError({ status: 410, message: "This post has been deleted." });
        const tombstone = tombstoneDocument({ id: activity.uri, formerType: activity.type, deleted: object.deletedAt });
        return activityJsonResponse({ c, document: tombstone, representation, status: 410 });
      }
    }
    if (representation === "html") {
      const target =
        activity.objectUri !== null && ctx.uris.parse(activity.objectUri)?.kind === "object"
          ? activity.objectUri
          : ctx.uris.profilePage(username.toLowerCase());
      return c.redirect(target, 302);
    }
    return activityJsonResponse({
      c,
      document: await currentActivityDocument({ ctx, activity }),
      representation,
      headers: privacyHeaders(activity.visibility),
    });
  });
}
