/**
 * Who may act as a local actor: the user who manages it, or an admin. Every
 * client-to-server route that touches an actor (its outbox, its inbox, its
 * profile) asks here first.
 */
import type { UserRecord } from "../../store/account-records.ts";
import type { ActorRecord } from "../../store/records.ts";
import { getLocalActor } from "../actors/local-actors.ts";
import type { FederationContext } from "../context.ts";
import type { AccountContext } from "./account-context.ts";

/** Parameters of {@link checkActorAccess}. */
export interface CheckActorAccessParams {
  readonly ac: AccountContext;
  readonly user: UserRecord;
  readonly username: string;
}

/** The actor, or why the user may not act as it. */
export type ActorAccessResult =
  | { readonly ok: true; readonly actor: ActorRecord; readonly owned: boolean }
  | { readonly ok: false; readonly reason: "actorNotFound" | "notOwner"; readonly message: string };

/** Finds a local actor and checks that the user manages it (or is an admin). */
export async function checkActorAccess(ctx: FederationContext, params: CheckActorAccessParams): Promise<ActorAccessResult> {
  const { ac, user } = params;
  const actor = await getLocalActor(ctx, params.username);
  if (actor === null || actor.uri === ctx.uris.instanceActor()) {
    return { ok: false, reason: "actorNotFound", message: `there is no actor "${params.username.slice(0, 40)}" on this server` };
  }
  const owned = (await ac.accounts.users.ownerOf(actor.uri)) === user.id;
  if (!owned && !user.admin) {
    return { ok: false, reason: "notOwner", message: `${user.username} does not manage ${actor.username}` };
  }
  return { ok: true, actor, owned };
}
