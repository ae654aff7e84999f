/**
 * The served document of a local actor, from its record and key. A deleted
 * actor is served as a Tombstone so that servers drop their copy.
 */
import type { FederationContext } from "../federation/context.ts";
import { buildTombstone } from "../protocol/activities.ts";
import { buildActorDocument } from "../protocol/actor-document.ts";
import { AS_CONTEXT } from "../protocol/vocabulary.ts";
import type { ActorRecord } from "../store/records.ts";

/** Parameters of {@link localActorDocument}. */
export interface LocalActorDocumentParams {
  readonly ctx: FederationContext;
  readonly actor: ActorRecord;
}

/** The actor document, or null when the actor has no key (a broken record). */
export async function localActorDocument(params: LocalActorDocumentParams): Promise<Record<string, unknown> | null> {
  const { ctx, actor } = params;
  const keys = await ctx.store.keys.listForOwner(actor.uri);
  const keyId = ctx.uris.key(actor.username);
  const key = keys.find((candidate) => candidate.keyId === keyId) ?? keys[0];
  if (key === undefined) return null;
  return buildActorDocument({
    uris: ctx.uris,
    username: actor.username,
    type: actor.type,
    name: actor.name ?? undefined,
    summary: actor.summary ?? undefined,
    iconUrl: actor.iconUrl ?? undefined,
    manuallyApprovesFollowers: actor.manuallyApprovesFollowers,
    discoverable: actor.discoverable,
    published: actor.published ?? actor.updatedAt,
    fields: actor.fields,
    publicKeyPem: key.publicKeyPem,
    alsoKnownAs: actor.alsoKnownAs,
    movedTo: actor.movedTo ?? undefined,
  });
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
