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
  let actor: ActorRecord | null = null;
  if (parsed.kind === "actor" && parsed.username !== undefined) {
    actor = await (ctx.lookups?.localActor(parsed.username) ?? ctx.store.actors.getLocal(parsed.username));
  } else if (parsed.kind === "instanceActor") actor = await ctx.store.actors.get(ctx.uris.instanceActor());
  if (actor === null || !actor.local || actor.deletedAt !== null) return null;
  return actor;
}
