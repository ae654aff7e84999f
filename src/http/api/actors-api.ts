/**
 * The actor management API: a user lists, creates, edits and deletes the
 * local actors it manages. Creating goes through the same function as the
 * command line, then records the user as manager; editing and deleting send
 * Update and Delete through the outbox verbs. Only the manager or an admin
 * may touch an actor.
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import { checkActorAccess } from "../../federation/accounts/actor-access.ts";
import { createLocalActor, LOCAL_ACTOR_TYPES } from "../../federation/actors/local-actors.ts";
import { deleteLocalActor } from "../../federation/outbox/actions/delete-local-actor.ts";
import { updateProfile, type ProfileChanges } from "../../federation/outbox/actions/update-profile.ts";
import { renderPlainText } from "../../protocol/content.ts";
import type { UserRecord } from "../../store/account-records.ts";
import type { ActorRecord } from "../../store/records.ts";
import type { AppEnv } from "../app-env.ts";
import type { ClientApi } from "../c2s/client-api.ts";
import { HttpError } from "../errors.ts";
import { readInput } from "../oauth/request-input.ts";
import { actorView } from "./actor-view.ts";
import { authenticateRequest, userOf } from "./require-token.ts";

const createSchema = z.strictObject({
  preferred_username: z.string().min(1).max(30),
  display_name: z.string().max(100).optional(),
  type: z.enum(LOCAL_ACTOR_TYPES).optional(),
  /** Plain text, rendered like a post. */
  summary: z.string().max(5000).optional(),
  manually_approves_followers: z.boolean().optional(),
  discoverable: z.boolean().optional(),
});

const updateSchema = z.strictObject({
  display_name: z.string().max(100).optional(),
  summary: z.string().max(5000).optional(),
  icon_url: z.string().max(2048).nullable().optional(),
  fields: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  manually_approves_followers: z.boolean().optional(),
  discoverable: z.boolean().optional(),
  also_known_as: z.array(z.string()).optional(),
});

/** Parameters of {@link registerActorsApi}. */
export interface RegisterActorsApiParams {
  readonly app: Hono<AppEnv>;
  readonly api: ClientApi;
}

/** Adds `/api/actors` and `/api/actors/:username`. */
export function registerActorsApi(params: RegisterActorsApiParams): void {
  const { app, api } = params;
  const { ctx, ac } = api;

  const json = (c: Context<AppEnv>, body: unknown, status: 200 | 201 = 200, headers: Record<string, string> = {}) =>
    c.body(JSON.stringify(body), status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers });

  const parse = <T>(schema: z.ZodType<T>, input: unknown): T => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) throw new HttpError({ status: 400, message: z.prettifyError(parsed.error) });
    return parsed.data;
  };

  /** The actor named in the path, if the caller may manage it. */
  const managedActor = async (c: Context<AppEnv>, user: UserRecord): Promise<ActorRecord> => {
    const access = await checkActorAccess(ctx, { ac, user, username: c.req.param("username") ?? "" });
    if (!access.ok) throw new HttpError({ status: access.reason === "notOwner" ? 403 : 404, message: access.message });
    if (access.actor.deletedAt !== null) throw new HttpError({ status: 410, message: `${access.actor.uri} has been deleted` });
    return access.actor;
  };

  app.get("/api/actors", async (c) => {
    const user = userOf({ auth: await authenticateRequest({ api, c, scopes: ["read:actors"] }) });
    const actors: Record<string, unknown>[] = [];
    for (const uri of await ac.accounts.users.actorsOf(user.id)) {
      const actor = await ctx.store.actors.get(uri);
      if (actor !== null && actor.deletedAt === null) actors.push(actorView({ ctx, actor }));
    }
    return json(c, actors);
  });

  app.post("/api/actors", async (c) => {
    const user = userOf({ auth: await authenticateRequest({ api, c, scopes: ["write:actors"] }) });
    const input = parse(createSchema, await readInput({ c, accept: ["json"] }));
    if (!user.admin && (await ac.accounts.users.actorsOf(user.id)).length >= ac.config.maxActorsPerUser) {
      throw new HttpError({ status: 403, message: `a user may manage at most ${ac.config.maxActorsPerUser} actors` });
    }
    const created = await createLocalActor(ctx, {
      username: input.preferred_username,
      type: input.type,
      name: input.display_name,
      summary: input.summary === undefined ? undefined : profileHtml(api, input.summary),
      manuallyApprovesFollowers: input.manually_approves_followers,
      discoverable: input.discoverable,
    });
    if (!created.ok) throw new HttpError({ status: created.reason === "taken" ? 409 : 400, message: created.message });
    await ac.accounts.users.addActor({ actorUri: created.actor.uri, userId: user.id, createdAt: ac.now().toISOString() });
    return json(c, actorView({ ctx, actor: created.actor }), 201, { Location: created.actor.uri });
  });

  app.patch("/api/actors/:username", async (c) => {
    const user = userOf({ auth: await authenticateRequest({ api, c, scopes: ["write:actors"] }) });
    const actor = await managedActor(c, user);
    const input = parse(updateSchema, await readInput({ c, accept: ["json"] }));
    const changes: Record<string, unknown> = {};
    if (input.display_name !== undefined) changes.name = input.display_name;
    if (input.summary !== undefined) changes.summary = input.summary === "" ? "" : profileHtml(api, input.summary);
    if (input.icon_url !== undefined) changes.iconUrl = input.icon_url;
    if (input.fields !== undefined) changes.fields = input.fields;
    if (input.manually_approves_followers !== undefined) changes.manuallyApprovesFollowers = input.manually_approves_followers;
    if (input.discoverable !== undefined) changes.discoverable = input.discoverable;
    if (input.also_known_as !== undefined) changes.alsoKnownAs = input.also_known_as;
    if (Object.keys(changes).length === 0) throw new HttpError({ status: 400, message: "nothing to change" });
    const result = await updateProfile(ctx, { actor, changes: changes as ProfileChanges });
    if (!result.ok) throw new HttpError({ status: 400, message: result.message });
    return json(c, { ...actorView({ ctx, actor: result.actor }), activity: result.activityUri });
  });

  app.delete("/api/actors/:username", async (c) => {
    const user = userOf({ auth: await authenticateRequest({ api, c, scopes: ["write:actors"] }) });
    const actor = await managedActor(c, user);
    const result = await deleteLocalActor(ctx, { actor });
    if (!result.ok) throw new HttpError({ status: 400, message: result.message });
    return json(c, { id: actor.uri, deleted: true, activity: result.activityUri });
  });
}

/** Profile text typed as plain text, as HTML: paragraphs and links, everything else escaped. */
function profileHtml(api: ClientApi, text: string): string {
  return renderPlainText({ text, mentions: new Map(), hashtagBase: api.ctx.uris.hashtagBase() }).html;
}
