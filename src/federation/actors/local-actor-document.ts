/**
 * A local actor's document, built from its record and public key. The
 * served document and the one sent in Update(actor) come from here, so
 * followers always see what a fetch would show.
 */
import { buildActorDocument } from "../../protocol/actor-document.ts";
import type { ActorRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";

/** Parameters of {@link localActorDocument}. */
export interface LocalActorDocumentParams {
  readonly ctx: FederationContext;
  readonly actor: ActorRecord;
  readonly publicKeyPem: string;
}

/** The ActivityPub document of a local actor. */
export function localActorDocument(params: LocalActorDocumentParams): Record<string, unknown> {
  const { ctx, actor } = params;
  const extraEndpoints = ctx.actorEndpoints?.(actor.username);
  return buildActorDocument({
    uris: ctx.uris,
    username: actor.username,
    type: actor.type,
    ...(actor.name === null ? {} : { name: actor.name }),
    ...(actor.summary === null ? {} : { summary: actor.summary }),
    ...(actor.iconUrl === null ? {} : { iconUrl: actor.iconUrl }),
    manuallyApprovesFollowers: actor.manuallyApprovesFollowers,
    discoverable: actor.discoverable,
    published: actor.published ?? actor.updatedAt,
    fields: actor.fields,
    publicKeyPem: params.publicKeyPem,
    alsoKnownAs: actor.alsoKnownAs,
    ...(actor.movedTo === null ? {} : { movedTo: actor.movedTo }),
    ...(extraEndpoints === undefined ? {} : { extraEndpoints }),
  });
}
