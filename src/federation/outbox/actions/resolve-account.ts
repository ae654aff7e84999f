/**
 * Turns what a user typed to name an account (`@user@host`, `user@host`, an
 * actor URI or a local profile URL) into an actor record. Local accounts are
 * read from the store: asking our own server over the network would only be
 * slower and could not be more right.
 */
import type { ActorRecord } from "../../../store/records.ts";
import { resolveActor } from "../../actors/actor-resolver.ts";
import { resolveHandle } from "../../actors/webfinger-client.ts";
import type { FederationContext } from "../../context.ts";
import { refuse, type ActionFailure } from "./action-result.ts";

/** Why an account could not be found. */
export type ResolveAccountReason = "invalidAccount" | "accountNotFound";

/** The account, or why there is none. */
export type ResolveAccountResult = { ok: true; actor: ActorRecord } | ActionFailure<ResolveAccountReason>;

/** Parameters of {@link resolveAccount}. */
export interface ResolveAccountParams {
  /** `@user@host`, `user@host`, or an http(s) URI. */
  readonly account: string;
}

const HANDLE = /^@?([^@\s/]+)@([^@\s/]+)$/;

/** Finds the live actor an account name points at, locally or by WebFinger/fetch. */
export async function resolveAccount(ctx: FederationContext, params: ResolveAccountParams): Promise<ResolveAccountResult> {
  const account = params.account.trim();
  const found = /^https?:\/\//i.test(account) ? await byUri(ctx, account) : await byHandle(ctx, account);
  if (!found.ok) return found;
  if (found.actor.deletedAt !== null) {
    return refuse({ reason: "accountNotFound", message: `${found.actor.uri} has been deleted` });
  }
  return found;
}

async function byUri(ctx: FederationContext, uri: string): Promise<ResolveAccountResult> {
  if (ctx.uris.isLocal(uri)) {
    const actor = (await ctx.store.actors.get(uri)) ?? (await localByProfileUrl(ctx, uri));
    if (actor === null || !actor.local) return notFound(uri);
    return { ok: true, actor };
  }
  const result = await resolveActor(ctx, uri);
  if (!result.ok) return refuse({ reason: "accountNotFound", message: `${uri}: ${result.message}` });
  return { ok: true, actor: result.actor };
}

async function byHandle(ctx: FederationContext, handle: string): Promise<ResolveAccountResult> {
  const match = HANDLE.exec(handle);
  if (match === null) {
    return refuse({ reason: "invalidAccount", message: `"${handle}" is neither @user@host nor an http(s) URI` });
  }
  const username = match[1] ?? "";
  const host = (match[2] ?? "").toLowerCase();
  if (host === new URL(ctx.uris.origin).host.toLowerCase()) {
    const actor = await ctx.store.actors.getLocal(username);
    if (actor === null || !actor.local) return notFound(`@${username}@${host}`);
    return { ok: true, actor };
  }
  const result = await resolveHandle(ctx, `${username}@${host}`);
  if (!result.ok) return refuse({ reason: "accountNotFound", message: `@${username}@${host}: ${result.message}` });
  return { ok: true, actor: result.actor };
}

/** A local profile page, `${origin}/@name`, names the same actor as its actor URI. */
async function localByProfileUrl(ctx: FederationContext, uri: string): Promise<ActorRecord | null> {
  const match = /^\/@([^/]+)\/?$/.exec(new URL(uri).pathname);
  if (match === null) return null;
  let username: string;
  try {
    username = decodeURIComponent(match[1] ?? "");
  } catch {
    return null;
  }
  return ctx.store.actors.getLocal(username);
}

function notFound(account: string): ActionFailure<ResolveAccountReason> {
  return refuse({ reason: "accountNotFound", message: `there is no account ${account} on this server` });
}

/** The URI an account name stands for, or why there is none. */
export type AccountUriResult = { ok: true; uri: string } | ActionFailure<ResolveAccountReason>;

/**
 * The URI of an account, without insisting that it can be fetched: a URI is
 * taken as given, a handle is resolved. Verbs that end a relationship (unfollow,
 * unblock) must keep working when the other server is down or gone.
 */
export async function accountUri(ctx: FederationContext, params: ResolveAccountParams): Promise<AccountUriResult> {
  const account = params.account.trim();
  if (/^https?:\/\//i.test(account)) return { ok: true, uri: account };
  const resolved = await resolveAccount(ctx, { account });
  return resolved.ok ? { ok: true, uri: resolved.actor.uri } : resolved;
}
