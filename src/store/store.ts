/**
 * The storage contract. Federation and HTTP code talk only to this interface;
 * the SQL store (SQLite or PostgreSQL) implements it, and so can a user's own
 * store. Methods take and return {@link records} shapes, never rows.
 *
 * Atomicity is expressed with {@link Store.transaction}: everything done through
 * the `tx` store it hands out commits together or not at all.
 */
import type {
  ActivityRecord,
  ActorRecord,
  BlockRecord,
  CollectionItemRecord,
  FollowerInbox,
  FollowRecord,
  FollowState,
  HostHealthRecord,
  InstanceStats,
  InteractionKind,
  InteractionRecord,
  JobRecord,
  KeyRecord,
  NewJob,
  ObjectRecord,
  Page,
  PageRequest,
  QuoteAuthorizationRecord,
  QuoteAuthorizationState,
  ReactionRecord,
  ReactionType,
  Visibility,
  WebFingerCacheRecord,
} from "./records.ts";

export interface ActorRepository {
  get(uri: string): Promise<ActorRecord | null>;
  /** A local actor by username, case-insensitively. */
  getLocal(username: string): Promise<ActorRecord | null>;
  /** Inserts or replaces the actor with the same uri. */
  put(actor: ActorRecord): Promise<void>;
  listLocal(): Promise<ActorRecord[]>;
  markDeleted(uri: string, deletedAt: string): Promise<void>;
  /** Removes a (remote) actor's record entirely. */
  remove(uri: string): Promise<void>;
  /**
   * A local actor's id and document version, by username, case-insensitively;
   * null when there is none. The version changes with every write to the
   * actor or its keys, by any process, so a document rendered from them stays
   * current while it does not. Optional: without it, nothing is cached.
   */
  documentVersion?(username: string): Promise<ActorDocumentVersion | null>;
}

/** What {@link ActorRepository.documentVersion} reads. */
export interface ActorDocumentVersion {
  readonly uri: string;
  readonly version: number;
}

export interface KeyRepository {
  get(keyId: string): Promise<KeyRecord | null>;
  /** Inserts or replaces the key with the same keyId. */
  put(key: KeyRecord): Promise<void>;
  /**
   * Inserts the key unless one with the same keyId exists; returns whether it
   * did. Two processes creating the same key at once keep one of them, and
   * each learns which.
   */
  add(key: KeyRecord): Promise<boolean>;
  listForOwner(ownerUri: string): Promise<KeyRecord[]>;
  removeForOwner(ownerUri: string): Promise<void>;
}

export interface FollowRepository {
  get(followerUri: string, followeeUri: string): Promise<FollowRecord | null>;
  getByActivity(activityUri: string): Promise<FollowRecord | null>;
  /** Inserts or replaces the follow of the same (follower, followee) pair. */
  put(follow: FollowRecord): Promise<void>;
  setState(followerUri: string, followeeUri: string, state: FollowState): Promise<void>;
  remove(followerUri: string, followeeUri: string): Promise<FollowRecord | null>;
  /** Follows of `followeeUri`, newest first. */
  listFollowers(followeeUri: string, state: FollowState, page: PageRequest): Promise<Page<FollowRecord>>;
  /** Follows made by `followerUri`, newest first. */
  listFollowing(followerUri: string, state: FollowState, page: PageRequest): Promise<Page<FollowRecord>>;
  countFollowers(followeeUri: string, state: FollowState): Promise<number>;
  countFollowing(followerUri: string, state: FollowState): Promise<number>;
  /**
   * URIs of the local actors with an accepted follow of `followeeUri`, in the
   * order they followed. Inbox processing asks this for the sender of every
   * activity it receives.
   */
  localFollowers(followeeUri: string): Promise<string[]>;
  /** Delivery addresses of every accepted follower of `followeeUri` that has an actor record. */
  followerInboxes(followeeUri: string): Promise<FollowerInbox[]>;
  /** Removes every follow in which the actor takes part, either side. */
  removeAllFor(actorUri: string): Promise<number>;
  /** Re-points follows of `fromUri` to `toUri` (Move), skipping pairs that already exist. */
  moveFollowee(fromUri: string, toUri: string): Promise<number>;
}

export interface ObjectListFilter {
  visibilities: readonly Visibility[];
}

export interface ObjectRepository {
  get(uri: string): Promise<ObjectRecord | null>;
  /** Inserts or replaces the object with the same uri. */
  put(object: ObjectRecord): Promise<void>;
  /** Turns the object into a tombstone: the document is replaced by `tombstone`. */
  tombstone(uri: string, params: { deletedAt: string; formerType: string; tombstone: Record<string, unknown> }): Promise<void>;
  listByAuthor(attributedTo: string, filter: ObjectListFilter, page: PageRequest): Promise<Page<ObjectRecord>>;
  /** Live (not deleted) replies to an object. */
  listReplies(inReplyTo: string, filter: ObjectListFilter, page: PageRequest): Promise<Page<ObjectRecord>>;
  countReplies(inReplyTo: string, filter: ObjectListFilter): Promise<number>;
  /** Removes every object attributed to a (remote) actor. */
  removeByAuthor(attributedTo: string): Promise<number>;
  remove(uri: string): Promise<void>;
}

export interface ActivityListFilter {
  visibilities: readonly Visibility[];
  /** Only these activity types when given. */
  types?: readonly string[];
}

export interface ActivityRepository {
  get(uri: string): Promise<ActivityRecord | null>;
  /** Stores the activity; returns false (and changes nothing) if its uri is already stored. */
  add(activity: ActivityRecord): Promise<boolean>;
  /** Local activities by an actor, newest first (the outbox). */
  listByActor(actorUri: string, filter: ActivityListFilter, page: PageRequest): Promise<Page<ActivityRecord>>;
  countByActor(actorUri: string, filter: ActivityListFilter): Promise<number>;
  /** The newest activity of a type by an actor on an object (to Undo a Like, say). */
  findLatest(params: { actorUri: string; type: string; objectUri: string }): Promise<ActivityRecord | null>;
  removeByActor(actorUri: string): Promise<number>;
}

export interface ReactionRepository {
  /** Stores a Like/Announce; returns false if the same actor already reacted so to the object. */
  add(reaction: ReactionRecord): Promise<boolean>;
  getByActivity(activityUri: string): Promise<ReactionRecord | null>;
  removeByActivity(activityUri: string): Promise<ReactionRecord | null>;
  remove(params: { type: ReactionType; actorUri: string; objectUri: string }): Promise<ReactionRecord | null>;
  list(objectUri: string, type: ReactionType, page: PageRequest): Promise<Page<ReactionRecord>>;
  count(objectUri: string, type: ReactionType): Promise<number>;
  listByActor(actorUri: string, type: ReactionType, page: PageRequest): Promise<Page<ReactionRecord>>;
  countByActor(actorUri: string, type: ReactionType): Promise<number>;
  removeByActor(actorUri: string): Promise<number>;
}

export interface BlockRepository {
  put(block: BlockRecord): Promise<void>;
  remove(actorUri: string, targetUri: string): Promise<BlockRecord | null>;
  get(actorUri: string, targetUri: string): Promise<BlockRecord | null>;
  /** Those of `actorUris` that block `targetUri`. */
  blockersAmong(actorUris: readonly string[], targetUri: string): Promise<string[]>;
  list(actorUri: string, page: PageRequest): Promise<Page<BlockRecord>>;
  removeByActor(actorUri: string): Promise<number>;
}

export interface CollectionItemRepository {
  /** Adds an item; returns false if it was already there. */
  add(item: CollectionItemRecord): Promise<boolean>;
  remove(collectionUri: string, itemUri: string): Promise<boolean>;
  has(collectionUri: string, itemUri: string): Promise<boolean>;
  list(collectionUri: string, page: PageRequest): Promise<Page<CollectionItemRecord>>;
  count(collectionUri: string): Promise<number>;
  removeItemEverywhere(itemUri: string): Promise<number>;
}

/** What reached each local actor's inbox, for the owner to read (C2S). */
export interface InboxEntryRepository {
  add(activityUri: string, actorUris: readonly string[], receivedAt: string): Promise<void>;
  list(actorUri: string, filter: ActivityListFilter, page: PageRequest): Promise<Page<ActivityRecord>>;
}

export interface ClaimJobsParameters {
  queues: readonly string[];
  limit: number;
  workerId: string;
  /** How long the claim holds before another worker may take the job. */
  leaseMs: number;
  now: Date;
}

/** How one job ended, as {@link JobRepository.settle} records it. */
export type JobSettlement =
  | { readonly id: string; readonly kind: "done" }
  | { readonly id: string; readonly kind: "retry"; readonly runAt: string; readonly error: string }
  | { readonly id: string; readonly kind: "fail"; readonly error: string };

export interface JobRepository {
  /**
   * Queues jobs; a job whose dedupeKey is already queued (or done) is skipped.
   * Returns how many were queued, once they are committed. The jobs of one
   * call are queued whole or not at all.
   */
  enqueue(jobs: readonly NewJob[]): Promise<number>;
  /** Claims due pending jobs not under another worker's live lease, oldest first. */
  claim(params: ClaimJobsParameters): Promise<JobRecord[]>;
  complete(id: string, now: Date): Promise<void>;
  /** Schedules another attempt (attempts + 1) and releases the lease. */
  retry(id: string, params: { runAt: string; error: string }): Promise<void>;
  /** Gives up on a job (attempts + 1); it stays visible as failed. */
  fail(id: string, params: { error: string }): Promise<void>;
  /**
   * Records how several jobs ended, each as {@link complete}, {@link retry}
   * or {@link fail} would, all together or none; `now` is when the done and
   * failed ones finished. Workers record outcomes in batches through this.
   */
  settle(settlements: readonly JobSettlement[], now: Date): Promise<void>;
  /**
   * Optional, for speed: {@link settle} (finished at `params.now`) and then
   * {@link claim}, together or not at all. A worker that finishes jobs and
   * claims more then commits once instead of twice; without it, it records
   * outcomes with `settle` on their own.
   */
  settleAndClaim?(settlements: readonly JobSettlement[], params: ClaimJobsParameters): Promise<JobRecord[]>;
  /** Releases leases held by a worker (graceful shutdown). */
  release(workerId: string): Promise<number>;
  get(id: string): Promise<JobRecord | null>;
  countByGroup(groupKey: string): Promise<{ pending: number; done: number; failed: number }>;
  counts(): Promise<{ pending: number; done: number; failed: number }>;
  /** Deletes finished jobs older than a date; failed ones are kept unless `includeFailed`. */
  purge(params: { olderThan: string; includeFailed?: boolean }): Promise<number>;
}

export interface HostHealthRepository {
  get(host: string): Promise<HostHealthRecord | null>;
  recordFailure(host: string, params: { at: string; backoffUntil: string | null }): Promise<HostHealthRecord>;
  recordSuccess(host: string): Promise<void>;
}

export interface WebFingerCacheRepository {
  get(acct: string): Promise<WebFingerCacheRecord | null>;
  put(record: WebFingerCacheRecord): Promise<void>;
}

export interface InteractionListFilter {
  visibilities: readonly Visibility[];
  /** Only these kinds when given. */
  kinds?: readonly InteractionKind[];
}

export interface QuoteAuthorizationListFilter {
  states: readonly QuoteAuthorizationState[];
}

/**
 * Replies, likes, boosts, mentions and quotes of local objects and actors,
 * and the quote requests they were answered with. Lists and counts hold live
 * interactions only, newest first; a deleted one is still returned by `get`.
 */
export interface InteractionRepository {
  /** Inserts or replaces the interaction with the same uri and kind; a replaced one keeps its place in lists. */
  put(interaction: InteractionRecord): Promise<void>;
  get(uri: string, kind: InteractionKind): Promise<InteractionRecord | null>;
  /** Marks every live interaction with this uri (of any kind) deleted; returns how many were. */
  markDeleted(uri: string, deletedAt: string): Promise<number>;
  /** Removes every interaction with this uri (of any kind); returns how many were removed. */
  remove(uri: string): Promise<number>;
  /** Removes every interaction by a (remote) actor. */
  removeByActor(actorUri: string): Promise<number>;
  listForTarget(targetUri: string, filter: InteractionListFilter, page: PageRequest): Promise<Page<InteractionRecord>>;
  countForTarget(targetUri: string, kind: InteractionKind, visibilities: readonly Visibility[]): Promise<number>;
  /** Interactions concerning a local actor. */
  listForActor(localActorUri: string, filter: InteractionListFilter, page: PageRequest): Promise<Page<InteractionRecord>>;
  /** Inserts or replaces the quote authorization with the same uri. */
  putQuoteAuthorization(authorization: QuoteAuthorizationRecord): Promise<void>;
  getQuoteAuthorization(uri: string): Promise<QuoteAuthorizationRecord | null>;
  getQuoteAuthorizationByRequest(requestUri: string): Promise<QuoteAuthorizationRecord | null>;
  /** The authorization (in whatever state) of one quote post quoting one object. */
  findQuoteAuthorization(params: { quoteUri: string; targetUri: string }): Promise<QuoteAuthorizationRecord | null>;
  /** A local actor's quote requests and authorizations, newest first. */
  listQuoteAuthorizations(
    localActorUri: string,
    filter: QuoteAuthorizationListFilter,
    page: PageRequest,
  ): Promise<Page<QuoteAuthorizationRecord>>;
}

/** Everything Outpost keeps. */
export interface Store {
  readonly actors: ActorRepository;
  readonly keys: KeyRepository;
  readonly follows: FollowRepository;
  readonly objects: ObjectRepository;
  readonly activities: ActivityRepository;
  readonly reactions: ReactionRepository;
  readonly blocks: BlockRepository;
  readonly collections: CollectionItemRepository;
  readonly inbox: InboxEntryRepository;
  readonly jobs: JobRepository;
  readonly hosts: HostHealthRepository;
  readonly webfinger: WebFingerCacheRepository;
  readonly interactions: InteractionRepository;
  stats(params: { now: Date }): Promise<InstanceStats>;
  /** Runs `fn` in one transaction; `tx` sees and writes within it. Nested calls join the outer one. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
