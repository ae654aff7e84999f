/**
 * Turning a remote actor document into what the store keeps: the record with
 * its HTML made safe, and the keys it may vouch for.
 */
import { sameOrigin } from "../../protocol/json-ld.ts";
import type { NormalizedActor } from "../../protocol/normalize.ts";
import { sanitizeRemoteHtml } from "../../protocol/sanitize.ts";
import type { ActorRecord, KeyRecord } from "../../store/records.ts";

const MAX_FIELDS = 16;
const MAX_NAME_LENGTH = 500;
const MAX_ALIASES = 16;

/** Parameters of {@link remoteActorRecord}. */
export interface RemoteActorRecordParameters {
  readonly actor: NormalizedActor;
  /** When the document was fetched or received. */
  readonly at: string;
}

/** The record and keys of a remote actor. */
export interface RemoteActorParts {
  readonly record: ActorRecord;
  readonly keys: readonly KeyRecord[];
}

/** Builds the stored form of a remote actor. */
export function remoteActorRecord(params: RemoteActorRecordParameters): RemoteActorParts {
  const { actor, at } = params;
  const id = new URL(actor.id);
  const record: ActorRecord = {
    uri: actor.id,
    type: actor.type,
    username: actor.preferredUsername ?? lastPathSegment(id),
    host: id.host.toLowerCase(),
    local: false,
    inbox: actor.inbox,
    sharedInbox: actor.sharedInbox ?? null,
    outbox: actor.outbox ?? null,
    followersUri: actor.followers ?? null,
    followingUri: actor.following ?? null,
    featuredUri: actor.featured ?? null,
    url: actor.url ?? null,
    name: actor.name === undefined ? null : actor.name.slice(0, MAX_NAME_LENGTH),
    summary: actor.summary === undefined ? null : sanitizeRemoteHtml(actor.summary),
    iconUrl: actor.iconUrl ?? null,
    manuallyApprovesFollowers: actor.manuallyApprovesFollowers,
    discoverable: actor.discoverable,
    alsoKnownAs: actor.alsoKnownAs.slice(0, MAX_ALIASES),
    movedTo: actor.movedTo ?? null,
    fields: actor.fields.slice(0, MAX_FIELDS).map((field) => ({
      name: field.name.slice(0, MAX_NAME_LENGTH),
      value: sanitizeRemoteHtml(field.value),
    })),
    published: actor.published ?? null,
    updatedAt: at,
    fetchedAt: at,
    deletedAt: null,
    document: actor.raw,
  };
  // A key id on another origin would let this actor's server replace that origin's keys in the key table.
  const keys = actor.publicKeys
    .filter((key) => sameOrigin(key.id, actor.id))
    .map((key) => ({ keyId: key.id, ownerUri: actor.id, publicKeyPem: key.publicKeyPem, privateKeyPem: null }));
  return { record, keys };
}

function lastPathSegment(url: URL): string {
  const segment = url.pathname.split("/").filter((part) => part !== "").at(-1);
  if (segment === undefined) return url.host;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
