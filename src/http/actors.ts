/**
 * Actor routes: the actor documents (negotiated: JSON for servers, the
 * profile page for browsers), the profile page at the origin root, and the
 * instance actor.
 */
import type { Context, Hono } from "hono";
import { instanceActor } from "../federation/actors/instance-actor.ts";
import type { FederationContext } from "../federation/context.ts";
import { buildInstanceActorDocument } from "../protocol/actor-document.ts";
import { isValidUsername } from "../protocol/uris.ts";
import type { ActorRecord } from "../store/records.ts";
import type { AppEnv } from "./app-env.ts";
import { HttpError } from "./errors.ts";
import { htmlHeaders, renderMessagePage } from "./html/layout.ts";
import { renderProfilePage } from "./html/profile-page.ts";
import { servedActorDocument, tombstoneDocument } from "./local-actor-document.ts";
import { activityJsonResponse, negotiate } from "./negotiation.ts";
import { publicHost } from "./public-url.ts";

/** Posts shown on a profile page. */
const PROFILE_POSTS = 20;

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

/** Parameters of {@link registerActorRoutes}. */
export interface RegisterActorRoutesParams {
  readonly app: Hono<AppEnv>;
  readonly ctx: FederationContext;
}

/** Adds the actor, profile page and instance actor routes. */
export function registerActorRoutes(params: RegisterActorRoutesParams): void {
  const { app, ctx } = params;
  const prefix = ctx.config.prefix;

  app.get(`${prefix}/users/:username`, async (c) => {
    const representation = negotiate(c);
    if (representation === "html") c.set("format", "html");
    const actor = await findLocalActor({ ctx, username: c.req.param("username") });
    if (actor.deletedAt !== null) {
      if (representation === "html") throw new HttpError({ status: 410, message: "This account has been deleted." });
      const tombstone = tombstoneDocument({ id: actor.uri, formerType: actor.type, deleted: actor.deletedAt });
      return activityJsonResponse({ c, document: tombstone, representation, status: 410 });
    }
    if (representation === "html") return renderProfile({ ctx, c, actor });
    const document = await servedActorDocument({ ctx, actor });
    if (document === null) throw new Error(`local actor ${actor.uri} has no key`);
    return activityJsonResponse({ c, document, representation });
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

  app.get(`${prefix}/actor`, async (c) => {
    const representation = negotiate(c);
    const { actor, key } = await instanceActor(ctx);
    if (representation === "html") {
      c.set("format", "html");
      const page = renderMessagePage({
        title: actor.name ?? actor.username,
        message: "This is the server's own actor. It signs requests on behalf of the server and posts nothing.",
      });
      return c.body(page, 200, { ...htmlHeaders(), Vary: "Accept" });
    }
    const document = buildInstanceActorDocument({
      uris: ctx.uris,
      publicKeyPem: key.publicKeyPem,
      published: actor.published ?? undefined,
      name: actor.name ?? undefined,
    });
    return activityJsonResponse({ c, document, representation });
  });
}
