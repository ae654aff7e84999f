/**
 * `POST <outbox>` (ActivityPub §6): a client publishes as one of its user's
 * actors. The route checks, in this order, the token (401), its scope and
 * the user's right to the actor (403), the media type (415), the size (413)
 * and the JSON (400), then hands the document to the C2S outbox. Success is
 * 201 with the new activity's id in Location and the activity as served.
 * A retry with the same `Idempotency-Key` answers the first attempt's
 * activity instead of making another.
 */
import type { Context, Hono } from "hono";
import { checkActorAccess } from "../../federation/accounts/actor-access.ts";
import { beginIdempotentRequest, finishIdempotentRequest } from "../../federation/accounts/idempotency.ts";
import { submitClientActivity } from "../../federation/c2s/submit.ts";
import type { UserRecord } from "../../store/account-records.ts";
import type { ActorRecord } from "../../store/records.ts";
import { authenticateRequest, userOf } from "../api/require-token.ts";
import type { AppEnv } from "../app-env.ts";
import { HttpError } from "../errors.ts";
import { ACTIVITY_JSON } from "../negotiation.ts";
import { currentActivityDocument } from "../objects.ts";
import { readBoundedBody } from "../read-body.ts";
import type { ClientApi } from "./client-api.ts";

/** Parameters of {@link isActivityStreamsMediaType}. */
export interface IsActivityStreamsMediaTypeParams {
  readonly contentType: string | undefined;
}

/** Whether a Content-Type is ActivityStreams: activity+json, or ld+json with the ActivityStreams profile (or none). */
export function isActivityStreamsMediaType(params: IsActivityStreamsMediaTypeParams): boolean {
  const value = (params.contentType ?? "").toLowerCase();
  const [type = "", ...parameters] = value.split(";").map((part) => part.trim());
  if (type === ACTIVITY_JSON) return true;
  if (type !== "application/ld+json") return false;
  const profile = parameters.find((part) => part.startsWith("profile="));
  if (profile === undefined) return true;
  return profile.slice("profile=".length).replace(/^"|"$/g, "").split(/\s+/).includes("https://www.w3.org/ns/activitystreams");
}

/** Parameters of {@link managedActorOf}. */
export interface ManagedActorOfParams {
  readonly api: ClientApi;
  readonly c: Context<AppEnv>;
  readonly user: UserRecord;
}

/** The actor of the path, when the user manages it; 404 or 403 otherwise. */
export async function managedActorOf(params: ManagedActorOfParams): Promise<ActorRecord> {
  const { api, c, user } = params;
  const access = await checkActorAccess(api.ctx, { ac: api.ac, user, username: c.req.param("username") ?? "" });
  if (!access.ok) throw new HttpError({ status: access.reason === "notOwner" ? 403 : 404, message: access.message });
  return access.actor;
}

/** Parameters of {@link registerOutboxPost}. */
export interface RegisterOutboxPostParams {
  readonly app: Hono<AppEnv>;
  readonly api: ClientApi;
}

/** Adds `POST /users/:username/outbox`. */
export function registerOutboxPost(params: RegisterOutboxPostParams): void {
  const { app, api } = params;
  const { ctx, ac } = api;

  app.post(`${ctx.config.prefix}/users/:username/outbox`, async (c) => {
    const user = userOf({ auth: await authenticateRequest({ api, c, scopes: ["write:outbox"] }) });
    const actor = await managedActorOf({ api, c, user });
    if (actor.deletedAt !== null) throw new HttpError({ status: 410, message: `${actor.uri} has been deleted` });
    if (!isActivityStreamsMediaType({ contentType: c.req.header("content-type") })) {
      throw new HttpError({
        status: 415,
        message: 'post application/activity+json or application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
      });
    }
    const read = await readBoundedBody({ request: c.req.raw, maxBytes: api.maxOutboxBytes });
    if (!read.ok) throw new HttpError({ status: read.reason === "tooLarge" ? 413 : 400, message: read.message });
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(read.body));
    } catch (error) {
      throw new HttpError({ status: 400, message: `the body is not valid JSON: ${(error as Error).message}` });
    }

    const key = c.req.header("idempotency-key");
    if (key !== undefined) {
      const request = `${actor.uri}\n${new TextDecoder().decode(read.body)}`;
      const begun = await beginIdempotentRequest(ac, { userId: user.id, key, request });
      if (begun.kind === "replay") return created(c, api, begun.activityUri, { "Idempotent-Replayed": "true" });
      if (begun.kind === "refused") {
        const status = begun.reason === "invalidKey" ? 400 : begun.reason === "inProgress" ? 409 : 422;
        throw new HttpError({ status, message: begun.message });
      }
    }
    let activityUri: string | undefined;
    try {
      const result = await submitClientActivity(ctx, { actor, body });
      if (!result.ok) throw new HttpError({ status: result.status, message: result.message });
      activityUri = result.activityUri;
    } finally {
      if (key !== undefined) await finishIdempotentRequest(ac, { userId: user.id, key, ...(activityUri === undefined ? {} : { activityUri }) });
    }
    c.get("logger").info({ actor: actor.uri, activity: activityUri }, "client published an activity");
    return created(c, api, activityUri);
  });
}

async function created(c: Context<AppEnv>, api: ClientApi, activityUri: string, headers: Record<string, string> = {}): Promise<Response> {
  const activity = await api.ctx.store.activities.get(activityUri);
  const document = activity === null ? { id: activityUri } : await currentActivityDocument({ ctx: api.ctx, activity });
  return c.body(JSON.stringify(document), 201, { "Content-Type": ACTIVITY_JSON, Location: activityUri, ...headers });
}
