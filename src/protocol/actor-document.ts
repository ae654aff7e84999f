import { escapeHtml, renderProfileFieldValue } from "./content.ts";
import type { LocalUris } from "./uris.ts";
import { actorContext } from "./vocabulary.ts";

/** A profile field as entered: plain-text name and value. */
export interface ProfileField {
  readonly name: string;
  readonly value: string;
}

/** Everything a local actor document is built from. */
export interface ActorDocumentParams {
  readonly uris: LocalUris;
  readonly username: string;
  /** Person, Service, Group, ... */
  readonly type: string;
  readonly name?: string;
  /** Profile text, already HTML. */
  readonly summary?: string;
  readonly iconUrl?: string;
  readonly iconMediaType?: string;
  readonly manuallyApprovesFollowers: boolean;
  readonly discoverable: boolean;
  readonly published: string;
  readonly fields: readonly ProfileField[];
  readonly publicKeyPem: string;
  readonly alsoKnownAs?: readonly string[];
  readonly movedTo?: string;
  /** Endpoints beyond `sharedInbox`, e.g. OAuth or media upload URLs. */
  readonly extraEndpoints?: Readonly<Record<string, string>>;
}

/**
 * The ActivityPub document of a local actor, with everything Mastodon-compatible servers read:
 * collections, shared inbox, key, profile fields as PropertyValue (values as HTML with links),
 * and migration properties only when set.
 */
export function buildActorDocument(params: ActorDocumentParams): Record<string, unknown> {
  const { uris, username } = params;
  const id = uris.actor(username);
  const doc: Record<string, unknown> = {
    "@context": actorContext(),
    id,
    type: params.type,
    preferredUsername: username,
  };
  if (params.name !== undefined) doc.name = params.name;
  if (params.summary !== undefined) doc.summary = params.summary;
  doc.url = uris.profilePage(username);
  if (params.iconUrl !== undefined) doc.icon = imageOf(params.iconUrl, params.iconMediaType);
  Object.assign(doc, {
    inbox: uris.inbox(username),
    outbox: uris.outbox(username),
    followers: uris.followers(username),
    following: uris.following(username),
    liked: uris.liked(username),
    featured: uris.featured(username),
    endpoints: { ...params.extraEndpoints, sharedInbox: uris.sharedInbox() },
    publicKey: { id: uris.key(username), owner: id, publicKeyPem: params.publicKeyPem },
    manuallyApprovesFollowers: params.manuallyApprovesFollowers,
    discoverable: params.discoverable,
    published: params.published,
    attachment: params.fields.map((field) => ({
      type: "PropertyValue",
      name: field.name,
      value: renderProfileFieldValue(field.value),
    })),
  });
  if (params.alsoKnownAs !== undefined && params.alsoKnownAs.length > 0) {
    doc.alsoKnownAs = [...params.alsoKnownAs];
  }
  if (params.movedTo !== undefined) doc.movedTo = params.movedTo;
  return doc;
}

/** What the instance actor document is built from. */
export interface InstanceActorDocumentParams {
  readonly uris: LocalUris;
  readonly publicKeyPem: string;
  readonly published?: string;
  /** Display name; the host when absent. */
  readonly name?: string;
  /** Plain text describing the server. */
  readonly summary?: string;
}

/**
 * The instance actor: an Application named after the host that signs server-level requests
 * (fetches, relay subscriptions). It approves followers manually and is not discoverable so it
 * never shows up as a person.
 */
export function buildInstanceActorDocument(params: InstanceActorDocumentParams): Record<string, unknown> {
  const { uris } = params;
  const host = new URL(uris.origin).host;
  const id = uris.instanceActor();
  const doc: Record<string, unknown> = {
    "@context": actorContext(),
    id,
    type: "Application",
    preferredUsername: host,
    name: params.name ?? host,
    url: uris.origin,
    inbox: uris.instanceInbox(),
    outbox: uris.instanceOutbox(),
    endpoints: { sharedInbox: uris.sharedInbox() },
    publicKey: { id: uris.instanceKey(), owner: id, publicKeyPem: params.publicKeyPem },
    manuallyApprovesFollowers: true,
    discoverable: false,
  };
  if (params.summary !== undefined) doc.summary = `<p>${escapeHtml(params.summary)}</p>`;
  if (params.published !== undefined) doc.published = params.published;
  return doc;
}

function imageOf(url: string, mediaType: string | undefined): Record<string, unknown> {
  const image: Record<string, unknown> = { type: "Image", url };
  if (mediaType !== undefined) image.mediaType = mediaType;
  return image;
}
