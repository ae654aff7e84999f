/**
 * Finding the local actor a URI names. Remote servers echo our URIs back with
 * whatever case or escaping they received, so the URI is parsed with the
 * local scheme instead of being compared as a string.
 */
import type { ActorRecord } from "../../store/records.ts";
import type { MaybeInJob } from "./inbox-lookups.ts";

/** Parameters of {@link findLiveLocalActor}. */
export interface FindLiveLocalActorParams {
  readonly uri: string;
}

/** The local, not deleted actor a URI names (a user or the instance actor), or null; read once per inbox job. */
export async function findLiveLocalActor(
  ctx: MaybeInJob,
  params: FindLiveLocalActorParams,
): Promise<ActorRecord | null> {
  const parsed = ctx.uris.parse(params.uri);
  if (parsed === null) return null;
  if (parsed.kind === "actor" && parsed.username !== undefined) {
    return findLiveLocalActorNamed(ctx, { username: parsed.username });
  }
  if (parsed.kind !== "instanceActor") return null;
  return liveLocal(await ctx.store.actors.get(ctx.uris.instanceActor()));
}

/** Parameters of {@link findLiveLocalActorNamed}. */
export interface FindLiveLocalActorNamedParams {
  readonly username: string;
}

/** The local, not deleted actor with this username, or null; read once per inbox job. */
export async function findLiveLocalActorNamed(
  ctx: MaybeInJob,
  params: FindLiveLocalActorNamedParams,
): Promise<ActorRecord | null> {
  const { username } = params;
  return liveLocal(await (ctx.lookups?.localActor(username) ?? ctx.store.actors.getLocal(username)));
}

function liveLocal(actor: ActorRecord | null): ActorRecord | null {
  return actor !== null && actor.local && actor.deletedAt === null ? actor : null;
}
