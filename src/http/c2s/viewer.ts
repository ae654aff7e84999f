/**
 * Who reads an actor's collections: its manager (or an admin) with a token
 * that has the scope, who sees everything, or anyone else, who sees what is
 * public. A token that is sent must be valid: a client with a broken token
 * is told so rather than silently shown less.
 */
import type { Context } from "hono";
import type { ActorRecord } from "../../store/records.ts";
import { authenticateRequest, bearerTokenOf } from "../api/require-token.ts";
import type { AppEnv } from "../app-env.ts";
import { HttpError } from "../errors.ts";
import type { ClientApi } from "./client-api.ts";

/** Parameters of {@link viewerOf}. */
export interface ViewerOfParams {
  readonly api: ClientApi;
  readonly c: Context<AppEnv>;
  readonly actor: ActorRecord;
  /** The scope the manager's token needs to see everything, e.g. "read:inbox". */
  readonly scope: string;
}

/** Whether the request reads as the actor's manager or as anyone. */
export async function viewerOf(params: ViewerOfParams): Promise<"owner" | "anyone"> {
  const { api, c, actor } = params;
  if (bearerTokenOf({ c }) === null) return "anyone";
  const auth = await authenticateRequest({ api, c, scopes: [] });
  if (auth.user === null) return "anyone";
  const manages = auth.user.admin || (await api.ac.accounts.users.ownerOf(actor.uri)) === auth.user.id;
  if (!manages) return "anyone";
  // The scope is checked only now: another user's token reads as anyone whatever its scopes.
  await authenticateRequest({ api, c, scopes: [params.scope] });
  return "owner";
}

/** Parameters of {@link liveLocalActor}. */
export interface LiveLocalActorParams {
  readonly api: ClientApi;
  readonly username: string | undefined;
}

/** The local actor of a path; 404 when there is none, 410 when it was deleted. */
export async function liveLocalActor(params: LiveLocalActorParams): Promise<ActorRecord> {
  const username = params.username ?? "";
  const actor = /^[a-z0-9_]{1,30}$/i.test(username) ? await params.api.ctx.store.actors.getLocal(username) : null;
  if (actor === null || !actor.local) throw new HttpError({ status: 404, message: "no such actor" });
  if (actor.deletedAt !== null) throw new HttpError({ status: 410, message: "the actor has been deleted" });
  return actor;
}
