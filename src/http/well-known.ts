/**
 * Discovery at the origin root (never under the ActivityPub prefix):
 * WebFinger, host-meta in both forms, and NodeInfo. These are read by other
 * servers and by browser-based clients, so they allow any origin.
 */
import type { Hono, MiddlewareHandler } from "hono";
import { instanceActor, type InstanceActor } from "../federation/actors/instance-actor.ts";
import type { FederationContext } from "../federation/context.ts";
import { buildHostMetaJson, buildHostMetaXrd, buildNodeInfo, buildNodeInfoDiscovery } from "../protocol/discovery.ts";
import { buildWebFinger, parseWebFingerResource } from "../protocol/webfinger.ts";
import type { AppEnv } from "./app-env.ts";
import {
  createDocumentCache,
  documentResponse,
  isCurrent,
  readDocumentVersion,
  renderedDocument,
  type RenderedDocument,
} from "./document-cache.ts";
import { HttpError } from "./errors.ts";
import { publicHost } from "./public-url.ts";

const JRD = "application/jrd+json; charset=utf-8";

/** Cached WebFinger answers (by resource as asked; a few forms per account). */
const WEBFINGER_CACHE_ENTRIES = 1000;

const ANY_ORIGIN = { "Access-Control-Allow-Origin": "*" } as const;

/** Whom a WebFinger resource names, when it is one of ours. */
export type WebFingerTarget = { readonly kind: "instance" } | { readonly kind: "user"; readonly username: string };

/** Parameters of {@link webFingerTarget}. */
export interface WebFingerTargetParams {
  readonly ctx: FederationContext;
  readonly resource: string;
}

/**
 * Reads a `resource` parameter: `acct:user@host` on our host, an actor id or
 * a profile page URL. Throws 400 for malformed resources and 404 for other
 * hosts' resources and URLs that name no actor.
 */
export function webFingerTarget(params: WebFingerTargetParams): WebFingerTarget {
  const { ctx } = params;
  const host = publicHost({ ctx }).toLowerCase();
  // The instance actor is named after the host, which may carry a port that no username may contain.
  const bare = params.resource.trim().toLowerCase().replace(/^acct:/, "");
  if (bare === `${host}@${host}`) return { kind: "instance" };
  const parsed = parseWebFingerResource(params.resource, host);
  if (!parsed.ok) throw new HttpError({ status: 400, message: `invalid resource: ${parsed.message}` });
  const resource = parsed.value;
  if (resource.kind === "acct") {
    if (resource.host.toLowerCase() !== host) throw new HttpError({ status: 404, message: "not an account of this server" });
    const username = resource.username.toLowerCase();
    return username === host ? { kind: "instance" } : { kind: "user", username };
  }
  const url = new URL(resource.uri);
  if (url.origin !== ctx.uris.origin) throw new HttpError({ status: 404, message: "not a resource of this server" });
  const profile = /^\/@([^/]+)\/?$/.exec(url.pathname);
  if (profile !== null) return { kind: "user", username: decodeURIComponent(profile[1]!).toLowerCase() };
  const local = ctx.uris.parse(`${url.origin}${url.pathname}`);
  if (local?.kind === "instanceActor") return { kind: "instance" };
  if (local?.kind === "actor" && local.username !== undefined) return { kind: "user", username: local.username };
  throw new HttpError({ status: 404, message: "the resource names no actor" });
}

/** Parameters of {@link registerWellKnownRoutes}. */
export interface RegisterWellKnownRoutesParams {
  readonly app: Hono<AppEnv>;
  readonly ctx: FederationContext;
  /** Runs before WebFinger lookups (rate limiting); none when absent. */
  readonly webFingerLimiter?: MiddlewareHandler<AppEnv>;
}

/** Adds WebFinger, host-meta and NodeInfo. */
export function registerWellKnownRoutes(params: RegisterWellKnownRoutesParams): void {
  const { app, ctx, webFingerLimiter } = params;
  const origin = ctx.uris.origin;

  // Cached WebFinger answers carry the header already; setting it again would
  // make the Node.js adapter build a Headers object for every one of them.
  const withAnyOrigin = new WeakSet<Response>();
  const anyOrigin: MiddlewareHandler<AppEnv> = async (c, next) => {
    await next();
    if (!withAnyOrigin.has(c.res)) c.res.headers.set("Access-Control-Allow-Origin", "*");
  };
  const answered = (request: Request, answer: RenderedDocument): Response => {
    const response = documentResponse(request, answer);
    withAnyOrigin.add(response);
    return response;
  };
  app.use("/.well-known/*", anyOrigin);
  app.use("/nodeinfo/*", anyOrigin);

  // Answers by resource as asked: a hit needs neither parsing nor rendering, only the version check.
  const answers = createDocumentCache({ maxEntries: WEBFINGER_CACHE_ENTRIES });
  // The instance actor never changes while the process holds it (see instance-actor.ts).
  const instanceAnswers = new WeakMap<InstanceActor, RenderedDocument>();
  const host = publicHost({ ctx });

  if (webFingerLimiter !== undefined) app.get("/.well-known/webfinger", webFingerLimiter);
  app.get("/.well-known/webfinger", async (c) => {
    const resource = c.req.query("resource");
    if (resource === undefined || resource.trim() === "") {
      throw new HttpError({ status: 400, message: "the resource parameter is required" });
    }
    const cached = answers.get(resource);
    if (cached !== undefined && isCurrent(cached, (await readDocumentVersion(ctx, cached.username)) ?? null)) {
      return answered(c.req.raw, cached.document);
    }
    const target = webFingerTarget({ ctx, resource });
    if (target.kind === "instance") {
      const instance = await instanceActor(ctx);
      let answer = instanceAnswers.get(instance);
      if (answer === undefined) {
        const { actor } = instance;
        const document = buildWebFinger({
          subject: `acct:${actor.username}@${host}`,
          aliases: [actor.uri],
          actorUri: actor.uri,
          profileUrl: origin,
        });
        answer = renderedDocument({ body: JSON.stringify(document), contentType: JRD, headers: ANY_ORIGIN });
        instanceAnswers.set(instance, answer);
      }
      return answered(c.req.raw, answer);
    }
    // Read before the actor, so that a write in between leaves the answer newer than its version, never older.
    const version = await readDocumentVersion(ctx, target.username);
    const actor = await ctx.store.actors.getLocal(target.username);
    // The instance actor is in the same table, but only findable by its own acct.
    if (actor === null || !actor.local || actor.deletedAt !== null || actor.uri === ctx.uris.instanceActor()) {
      throw new HttpError({ status: 404, message: "no such account" });
    }
    const profileUrl = ctx.uris.profilePage(actor.username);
    const document = buildWebFinger({
      subject: `acct:${actor.username}@${host}`,
      aliases: [actor.uri, profileUrl],
      actorUri: actor.uri,
      profileUrl,
      subscribeTemplate: `${origin}/authorize_interaction?uri={uri}`,
    });
    const answer = renderedDocument({ body: JSON.stringify(document), contentType: JRD, headers: ANY_ORIGIN });
    if (version !== undefined && version !== null && version.uri === actor.uri) {
      answers.set(resource, { username: target.username, uri: version.uri, version: version.version, document: answer });
    }
    return answered(c.req.raw, answer);
  });

  app.get("/.well-known/host-meta", (c) =>
    c.body(buildHostMetaXrd(origin), 200, { "Content-Type": "application/xrd+xml; charset=utf-8" }),
  );
  app.get("/.well-known/host-meta.json", (c) => c.body(JSON.stringify(buildHostMetaJson(origin)), 200, { "Content-Type": JRD }));

  app.get("/.well-known/nodeinfo", (c) => c.json(buildNodeInfoDiscovery(origin)));

  for (const version of ["2.0", "2.1"] as const) {
    app.get(`/nodeinfo/${version}`, async (c) => {
      const stats = await ctx.store.stats({ now: ctx.now() });
      const document = buildNodeInfo({
        version,
        software: ctx.config.software,
        usage: {
          users: { total: stats.localUsers, activeMonth: stats.activeMonth, activeHalfyear: stats.activeHalfyear },
          localPosts: stats.localPosts,
        },
        openRegistrations: false,
        metadata: { nodeName: publicHost({ ctx }) },
      });
      return c.body(JSON.stringify(document), 200, {
        "Content-Type": `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/${version}#"`,
      });
    });
  }
}
