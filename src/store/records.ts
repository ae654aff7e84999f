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
