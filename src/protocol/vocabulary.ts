/** The ActivityStreams 2.0 JSON-LD context. */
export const AS_CONTEXT = "https://www.w3.org/ns/activitystreams";

/** The W3C security vocabulary, needed for `publicKey` on actors. */
export const SECURITY_CONTEXT = "https://w3id.org/security/v1";

/** The special collection meaning "everyone". */
export const PUBLIC_COLLECTION = "https://www.w3.org/ns/activitystreams#Public";

/** Namespace prefix that expanded AS2 terms carry. */
export const AS_NAMESPACE = "https://www.w3.org/ns/activitystreams#";

/** A JSON-LD `@context` value as written in documents. */
export type JsonLdContext = string | (string | Record<string, unknown>)[];

/**
 * Whether an address means the public collection. Compacted JSON-LD lets servers write it three
 * ways, and all three occur in the wild (Pleroma and some relays use `as:Public`).
 */
export function isPublicAddress(uri: string): boolean {
  return uri === PUBLIC_COLLECTION || uri === "as:Public" || uri === "Public";
}

/** AS2 actor types. */
export const ACTOR_TYPES = ["Person", "Service", "Group", "Organization", "Application"] as const;

/** One of the AS2 actor types. */
export type ActorType = (typeof ACTOR_TYPES)[number];

const actorTypeSet: ReadonlySet<string> = new Set(ACTOR_TYPES);

/** Whether a type name is one of the AS2 actor types. */
export function isActorType(type: string): type is ActorType {
  return actorTypeSet.has(type);
}

/**
 * Activity types: the AS2 core set plus the extensions servers federate (`EmojiReact` from
 * Pleroma/Akkoma/Misskey). `Question` is an activity in AS2 but every server treats it as a poll
 * object, so it lives in OBJECT_TYPES instead.
 */
export const ACTIVITY_TYPES: ReadonlySet<string> = new Set([
  "Accept",
  "Add",
  "Announce",
  "Arrive",
  "Block",
  "Create",
  "Delete",
  "Dislike",
  "EmojiReact",
  "Flag",
  "Follow",
  "Ignore",
  "Invite",
  "Join",
  "Leave",
  "Like",
  "Listen",
  "Move",
  "Offer",
  "Read",
  "Reject",
  "Remove",
  "TentativeAccept",
  "TentativeReject",
  "Travel",
  "Undo",
  "Update",
  "View",
]);

/** Whether a type name is an activity type. */
export function isActivityType(type: string): boolean {
  return ACTIVITY_TYPES.has(type);
}

/**
 * Content object types seen from the servers Outpost talks to: AS2 core types plus Lemmy's `Page`,
 * BookWyrm's `Review`/`Comment`/`Quotation`, PeerTube's `Video`, Pleroma's `ChatMessage`.
 */
export const OBJECT_TYPES: ReadonlySet<string> = new Set([
  "Article",
  "Audio",
  "ChatMessage",
  "Comment",
  "Document",
  "Event",
  "Image",
  "Note",
  "Page",
  "Place",
  "Question",
  "Quotation",
  "Review",
  "Tombstone",
  "Video",
]);

/** Whether a type name is a known content object type. */
export function isObjectType(type: string): boolean {
  return OBJECT_TYPES.has(type);
}

const LINK_AND_TAG_TYPES: ReadonlySet<string> = new Set([
  "Link",
  "Mention",
  "Hashtag",
  "Emoji",
  "PropertyValue",
  "Collection",
  "OrderedCollection",
  "CollectionPage",
  "OrderedCollectionPage",
  "Key",
]);

/** Whether a type name is known at all (activity, actor, object, or a link/tag type). */
export function isKnownType(type: string): boolean {
  return (
    ACTIVITY_TYPES.has(type) ||
    actorTypeSet.has(type) ||
    OBJECT_TYPES.has(type) ||
    LINK_AND_TAG_TYPES.has(type)
  );
}

/**
 * The `@context` for actor documents: AS2, the security vocabulary for `publicKey`, and the
 * extension terms Mastodon-compatible servers read from actors. Returns a fresh array each call
 * so callers may extend it.
 */
export function actorContext(): (string | Record<string, unknown>)[] {
  return [
    AS_CONTEXT,
    SECURITY_CONTEXT,
    {
      manuallyApprovesFollowers: "as:manuallyApprovesFollowers",
      sensitive: "as:sensitive",
      Hashtag: "as:Hashtag",
      movedTo: { "@id": "as:movedTo", "@type": "@id" },
      alsoKnownAs: { "@id": "as:alsoKnownAs", "@type": "@id" },
      toot: "http://joinmastodon.org/ns#",
      discoverable: "toot:discoverable",
      featured: { "@id": "toot:featured", "@type": "@id" },
      Emoji: "toot:Emoji",
      schema: "http://schema.org#",
      PropertyValue: "schema:PropertyValue",
      value: "schema:value",
    },
  ];
}

/**
 * The `@context` for notes and the activities wrapping them: AS2 plus the extension terms used in
 * posts (content warnings, hashtags, custom emoji, media hints, quotes).
 */
export function objectContext(): (string | Record<string, unknown>)[] {
  return [
    AS_CONTEXT,
    {
      sensitive: "as:sensitive",
      Hashtag: "as:Hashtag",
      quoteUrl: "as:quoteUrl",
      toot: "http://joinmastodon.org/ns#",
      Emoji: "toot:Emoji",
      blurhash: "toot:blurhash",
      focalPoint: { "@container": "@list", "@id": "toot:focalPoint" },
    },
  ];
}
