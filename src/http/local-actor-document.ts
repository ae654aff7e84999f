/**
 * The served document of a local actor, from its record and key. A deleted
 * actor is served as a Tombstone so that servers drop their copy.
 */
import { localActorDocument } from "../federation/actors/local-actor-document.ts";
import type { FederationContext } from "../federation/context.ts";
import { buildTombstone } from "../protocol/activities.ts";
import { AS_CONTEXT } from "../protocol/vocabulary.ts";
import type { ActorRecord } from "../store/records.ts";

/** Parameters of {@link servedActorDocument}. */
export interface ServedActorDocumentParams {
  readonly ctx: FederationContext;
  readonly actor: ActorRecord;
}

/** The actor document as served, or null when the actor has no key (a broken record). */
export async function servedActorDocument(params: ServedActorDocumentParams): Promise<Record<string, unknown> | null> {
  const { ctx, actor } = params;
  const keys = await ctx.store.keys.listForOwner(actor.uri);
  const keyId = ctx.uris.key(actor.username);
  const key = keys.find((candidate) => candidate.keyId === keyId) ?? keys[0];
  if (key === undefined) return null;
  return localActorDocument({ ctx, actor, publicKeyPem: key.publicKeyPem });
}

/** Parameters of {@link tombstoneDocument}. */
export interface TombstoneDocumentParams {
  readonly id: string;
  readonly formerType?: string;
  readonly deleted?: string;
}

/** A Tombstone with its context, as served for something deleted. */
export function tombstoneDocument(params: TombstoneDocumentParams): Record<string, unknown> {
  return {
    "@context": AS_CONTEXT,
    ...buildTombstone({ id: params.id, formerType: params.formerType, deleted: params.deleted }),
  };
}
