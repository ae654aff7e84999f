/**
 * Documents the remote world serves, shaped like Mastodon's: the actor with
 * its key and endpoints, its WebFinger answer, and empty collections.
 */

const MASTODON_CONTEXT = [
  "https://www.w3.org/ns/activitystreams",
  "https://w3id.org/security/v1",
  {
    manuallyApprovesFollowers: "as:manuallyApprovesFollowers",
    toot: "http://joinmastodon.org/ns#",
    featured: { "@id": "toot:featured", "@type": "@id" },
    discoverable: "toot:discoverable",
    indexable: "toot:indexable",
    memorial: "toot:memorial",
  },
] as const;

/** Parameters of {@link actorDocument}. */
export interface ActorDocumentParams {
  /** `http://address:port`. */
  readonly origin: string;
  readonly name: string;
  readonly publicKeyPem: string;
  readonly sharedInbox: boolean;
}

/** A Person as Mastodon serves it. */
export function actorDocument(params: ActorDocumentParams): Record<string, unknown> {
  const { origin, name } = params;
  const id = `${origin}/users/${name}`;
  return {
    "@context": MASTODON_CONTEXT,
    id,
    type: "Person",
    following: `${id}/following`,
    followers: `${id}/followers`,
    inbox: `${id}/inbox`,
    outbox: `${id}/outbox`,
    featured: `${id}/collections/featured`,
    preferredUsername: name,
    name: `Bench ${name}`,
    summary: "<p>A remote actor of the benchmark world.</p>",
    url: `${origin}/@${name}`,
    manuallyApprovesFollowers: false,
    discoverable: false,
    indexable: false,
    memorial: false,
    published: "2024-01-01T00:00:00Z",
    publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem: params.publicKeyPem },
    tag: [],
    attachment: [],
    ...(params.sharedInbox ? { endpoints: { sharedInbox: `${origin}/inbox` } } : {}),
  };
}

/** Parameters of {@link webFingerDocument}. */
export interface WebFingerDocumentParams {
  readonly origin: string;
  readonly name: string;
}

/** The JRD answering `acct:name@host`. */
export function webFingerDocument(params: WebFingerDocumentParams): Record<string, unknown> {
  const { origin, name } = params;
  const host = new URL(origin).host;
  return {
    subject: `acct:${name}@${host}`,
    aliases: [`${origin}/@${name}`, `${origin}/users/${name}`],
    links: [
      { rel: "http://webfinger.net/rel/profile-page", type: "text/html", href: `${origin}/@${name}` },
      { rel: "self", type: "application/activity+json", href: `${origin}/users/${name}` },
    ],
  };
}

/** Parameters of {@link emptyCollection}. */
export interface EmptyCollectionParams {
  readonly id: string;
}

/** An OrderedCollection with nothing in it. */
export function emptyCollection(params: EmptyCollectionParams): Record<string, unknown> {
  return {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: params.id,
    type: "OrderedCollection",
    totalItems: 0,
    orderedItems: [],
  };
}
