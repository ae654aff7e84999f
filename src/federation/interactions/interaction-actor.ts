/**
 * Who interacted, from the cached actor record: what events carry and what
 * the rendered block shows. Only http(s) URLs come out of here, so no
 * `javascript:` or `data:` address from a remote document ever reaches a link
 * or an image.
 */
import type { ActorRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import type { InteractionActor } from "./events.ts";

/** Longest display name passed on; remote servers do not bound theirs. */
export const MAX_DISPLAY_NAME_CHARS = 100;

/** Parameters of {@link httpUrlOrNull}. */
export interface HttpUrlParams {
  readonly value: string | null | undefined;
}

/** The value when it is an absolute http(s) URL without credentials, else null. */
export function httpUrlOrNull(params: HttpUrlParams): string | null {
  if (params.value === null || params.value === undefined) return null;
  let url: URL;
  try {
    url = new URL(params.value);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username !== "" || url.password !== "") return null;
  return url.href;
}

/** Parameters of {@link interactionActorOf}. */
export interface InteractionActorParams {
  readonly uri: string;
  /** The cached record, or null when the actor was never fetched. */
  readonly actor: ActorRecord | null;
}

/** The actor as events and the rendered block show it. */
export function interactionActorOf(params: InteractionActorParams): InteractionActor {
  const { actor } = params;
  const name = actor?.name?.trim() ? [...actor.name.trim()].slice(0, MAX_DISPLAY_NAME_CHARS).join("") : null;
  return {
    uri: params.uri,
    name,
    handle: actor === null ? null : `@${actor.username}@${actor.host}`,
    url: httpUrlOrNull({ value: actor?.url }) ?? httpUrlOrNull({ value: params.uri }) ?? params.uri,
    iconUrl: httpUrlOrNull({ value: actor?.iconUrl }),
  };
}

/** Parameters of {@link lookUpInteractionActor}. */
export interface LookUpInteractionActorParams {
  readonly uri: string;
}

/** The actor from the store (no network: it was verified or fetched when its activity arrived). */
export async function lookUpInteractionActor(ctx: FederationContext, params: LookUpInteractionActorParams): Promise<InteractionActor> {
  const actor = await ctx.store.actors.get(params.uri);
  return interactionActorOf({ uri: params.uri, actor: actor !== null && actor.deletedAt === null ? actor : null });
}
