/**
 * Turns what a user types into records: a local username (`alice`, `@alice`
 * or `@alice@our.host`) into the local actor, and a remote account
 * (`@bob@remote.example` or its URL) into an actor URI.
 */
import { getLocalActor } from "../federation/actors/local-actors.ts";
import { resolveHandle } from "../federation/actors/webfinger-client.ts";
import type { FederationContext } from "../federation/context.ts";
import type { ActorRecord } from "../store/records.ts";
import { CliError } from "./cli-error.ts";

/** A local actor named on the command line. */
export interface LocalActorArgument {
  /** `alice`, `@alice`, or `@alice@host` with this server's host. */
  readonly input: string;
}

/** The username part of a local actor argument, or a usage error. */
export function localUsernameOf(ctx: FederationContext, params: LocalActorArgument): string {
  const trimmed = params.input.trim().replace(/^@/, "");
  const at = trimmed.indexOf("@");
  if (at === -1) return trimmed.toLowerCase();
  const host = trimmed.slice(at + 1).toLowerCase();
  if (host !== new URL(ctx.config.origin).host.toLowerCase()) {
    throw new CliError({
      reason: "invalidArgument",
      message: `${params.input} is not an account of this server (${new URL(ctx.config.origin).host})`,
    });
  }
  return trimmed.slice(0, at).toLowerCase();
}

/** The live local actor a command acts as; a clear error when there is none. */
export async function requireLocalActor(ctx: FederationContext, params: LocalActorArgument): Promise<ActorRecord> {
  const username = localUsernameOf(ctx, params);
  const actor = await getLocalActor(ctx, username);
  if (actor === null || actor.deletedAt !== null) {
    throw new CliError({
      reason: "notFound",
      message: `there is no local actor named ${JSON.stringify(username)} (list them with \`outpost actor list\`)`,
    });
  }
  return actor;
}

/** Whether an argument is an http(s) URL rather than a handle. */
export function isUrlArgument(params: { readonly input: string }): boolean {
  return /^https?:\/\//i.test(params.input.trim());
}

/** An account named on the command line: `@user@host`, `user@host` or a URL. */
export interface AccountArgument {
  readonly input: string;
}

/** The actor URI of an account argument; handles are looked up with WebFinger (cached). */
export async function resolveAccountUri(ctx: FederationContext, params: AccountArgument): Promise<string> {
  const input = params.input.trim();
  if (isUrlArgument({ input })) return input;
  if (!/^@?[^@\s]+@[^@\s]+$/.test(input)) {
    throw new CliError({
      reason: "invalidArgument",
      message: `${JSON.stringify(params.input)} is neither @user@host nor an http(s) URL`,
    });
  }
  // Our own accounts are answered from the store: no need to ask ourselves over the network.
  const [username = "", host = ""] = input.replace(/^@/, "").split("@");
  if (host.toLowerCase() === new URL(ctx.config.origin).host.toLowerCase()) {
    const local = await getLocalActor(ctx, username);
    if (local === null || local.deletedAt !== null) {
      throw new CliError({ reason: "notFound", message: `there is no local actor named ${JSON.stringify(username)}` });
    }
    return local.uri;
  }
  const result = await resolveHandle(ctx, input);
  if (!result.ok) {
    throw new CliError({ reason: "notFound", message: `cannot find ${input}: ${result.message}` });
  }
  return result.actor.uri;
}

/** `@user@host` for an actor record. */
export function handleOf(actor: Pick<ActorRecord, "username" | "host">): string {
  return `@${actor.username}@${actor.host}`;
}

/** The people-facing local actors: neither the instance actor nor deleted ones. */
export function userActors(ctx: FederationContext, params: { readonly actors: readonly ActorRecord[] }): ActorRecord[] {
  const instanceActor = ctx.uris.instanceActor();
  return params.actors.filter((actor) => actor.uri !== instanceActor && actor.deletedAt === null);
}
