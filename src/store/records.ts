/**
 * The records a {@link Store} keeps. They are storage-neutral: the SQL store and
 * any other implementation read and write exactly these shapes, so federation
 * code never sees rows or columns.
 *
 * Every timestamp is an ISO 8601 string in UTC. URIs are the ActivityPub ids.
 */
import type { Visibility } from "../protocol/addressing.ts";

export type { Visibility };

/** JSON as stored: an ActivityStreams document kept whole. */
export type JsonObject = Record<string, unknown>;

/** A profile field, shown as a PropertyValue attachment. */
export interface ProfileField {
  name: string;
  value: string;
}

/**
 * An actor, local or remote, in one table: local actors are ours and have keys
 * with a private half; remote actors are a cache of what their server serves.
 */
export interface ActorRecord {
  uri: string;
  type: string;
  /** preferredUsername; for local actors always lower case. */
  username: string;
  /** host[:port] of the actor's id, lower case. */
  host: string;
  local: boolean;
  inbox: string;
  sharedInbox: string | null;
  outbox: string | null;
  followersUri: string | null;
  followingUri: string | null;
  featuredUri: string | null;
  /** Profile page (HTML) URL. */
  url: string | null;
  name: string | null;
  /** HTML; for remote actors already sanitized. */
  summary: string | null;
  iconUrl: string | null;
  manuallyApprovesFollowers: boolean;
  discoverable: boolean;
  alsoKnownAs: string[];
  movedTo: string | null;
  fields: ProfileField[];
  published: string | null;
  /** When this record last changed. */
  updatedAt: string;
  /** Remote actors: when the document was last fetched; null for local ones. */
  fetchedAt: string | null;
  deletedAt: string | null;
  /** Remote actors: the document as fetched. Null for local actors. */
  document: JsonObject | null;
}

/** A public key (and, for local actors, its private half). */
export interface KeyRecord {
  keyId: string;
  ownerUri: string;
  publicKeyPem: string;
  privateKeyPem: string | null;
}

export type FollowState = "pending" | "accepted";

/** One follow relationship. Local→remote is "following", remote→local is "followers". */
export interface FollowRecord {
  followerUri: string;
  followeeUri: string;
  /** The Follow activity's id, needed to Accept, Reject or Undo it. */
  activityUri: string;
  state: FollowState;
  createdAt: string;
}

/** A follower's delivery addresses, for fan-out. */
export interface FollowerInbox {
  actorUri: string;
  inbox: string;
  sharedInbox: string | null;
}

/** An object (Note, Article, Event, anything) kept whole. */
export interface ObjectRecord {
  uri: string;
  type: string;
  attributedTo: string | null;
  local: boolean;
  visibility: Visibility;
  inReplyTo: string | null;
  published: string | null;
  updated: string | null;
  /**
   * Everyone the object was addressed to (to, cc, bto, bcc, audience), kept
   * apart from the document so that bto/bcc can be stripped from what is
   * served while access checks still know them.
   */
  recipients: string[];
  /** The object as served (hidden recipients already stripped). */
  document: JsonObject;
  deletedAt: string | null;
  formerType: string | null;
}

/** An activity, sent (local) or received. */
export interface ActivityRecord {
  uri: string;
  type: string;
  actorUri: string;
  objectUri: string | null;
  targetUri: string | null;
  local: boolean;
  visibility: Visibility;
  recipients: string[];
  document: JsonObject;
  published: string;
}

export type ReactionType = "Like" | "Announce";

/** A Like or an Announce of an object. */
export interface ReactionRecord {
  activityUri: string;
  type: ReactionType;
  actorUri: string;
  objectUri: string;
  createdAt: string;
}

/** A Block of one actor by another. */
export interface BlockRecord {
  activityUri: string;
  actorUri: string;
  targetUri: string;
  createdAt: string;
}

/** An item of an actor's own collection (featured, or one a client created). */
export interface CollectionItemRecord {
  collectionUri: string;
  itemUri: string;
  addedAt: string;
}

export type JobStatus = "pending" | "done" | "failed";

/** A durable unit of work: inbox processing or one delivery. */
export interface JobRecord {
  id: string;
  queue: string;
  payload: unknown;
  status: JobStatus;
  attempts: number;
  runAt: string;
  createdAt: string;
  lastError: string | null;
  /** Unique when set: a second job with the same key is not queued. */
  dedupeKey: string | null;
  /** Jobs that belong together (e.g. every delivery of one activity), for progress. */
  groupKey: string | null;
}

export interface NewJob {
  queue: string;
  /** Any JSON value; a {@link JsonText} is stored as its text, without serializing it again. */
  payload: unknown;
  runAt?: string;
  dedupeKey?: string | null;
  groupKey?: string | null;
}

/** Failure history of a remote host, for backing off a host as a whole. */
export interface HostHealthRecord {
  host: string;
  failures: number;
  lastFailureAt: string | null;
  backoffUntil: string | null;
}

export interface WebFingerCacheRecord {
  /** Lower-case `user@host`. */
  acct: string;
  actorUri: string;
  fetchedAt: string;
}

/** Numbers for NodeInfo. */
export interface InstanceStats {
  localUsers: number;
  localPosts: number;
  activeMonth: number;
  activeHalfyear: number;
}

/**
 * A keyset page request, newest first. `before` gives the page older than a
 * cursor; `after` gives the page just newer than a cursor (still newest first).
 * Neither gives the newest page; `after: ""` gives the oldest page.
 */
export interface PageRequest {
  limit: number;
  before?: string;
  after?: string;
}

/** One page of a list; `next` leads to older items, `prev` to newer ones. */
export interface Page<T> {
  items: T[];
  next: string | null;
  prev: string | null;
}

/** What an interaction with a local object or actor is. */
export type InteractionKind = "reply" | "like" | "boost" | "mention" | "quote";

/**
 * A remote actor's reply, like, boost, mention or quote of something here,
 * kept for display (comment sections, counts) and for the site's owner. The
 * content is HTML as received: it is sanitized when it is shown.
 */
export interface InteractionRecord {
  /** The reply, mention or quote object's id, or the Like or Announce activity's id. */
  uri: string;
  kind: InteractionKind;
  /** The local object interacted with; null for a mention that targets no object. */
  targetUri: string | null;
  /** The local actor concerned: the target's author, or the actor mentioned. */
  localActorUri: string;
  /** Who interacted. */
  actorUri: string;
  /** HTML as received; null for likes and boosts. */
  content: string | null;
  published: string | null;
  updated: string | null;
  visibility: Visibility;
  /** The object or activity as received (hidden recipients stripped). */
  document: JsonObject;
  createdAt: string;
  /** Set when its author deleted or withdrew it; it then drops out of lists and counts. */
  deletedAt: string | null;
}

/** Where a request to quote a local object stands. */
export type QuoteAuthorizationState = "pending" | "accepted" | "rejected" | "revoked";

/**
 * A request to quote a local object and its answer (FEP-044f). Once
 * accepted, `uri` is served as the QuoteAuthorization that proves the quote
 * was approved; a revoked one is served as gone.
 */
export interface QuoteAuthorizationRecord {
  /** The QuoteAuthorization's id, minted when the request arrived. */
  uri: string;
  /** The QuoteRequest activity's id. */
  requestUri: string;
  state: QuoteAuthorizationState;
  /** The quoted object's author, who approves (the authorization's `attributedTo`). */
  localActorUri: string;
  /** Who asked: the quote post's author. */
  actorUri: string;
  /** The quote post (`interactingObject`). */
  quoteUri: string;
  /** The quoted local object (`interactionTarget`). */
  targetUri: string;
  /** The QuoteRequest as received, embedded in the Accept or Reject that answers it. */
  request: JsonObject;
  createdAt: string;
  /** When it was accepted or rejected. */
  decidedAt: string | null;
  revokedAt: string | null;
}
