/**
 * The SQL schema as Kysely sees it. One set of tables serves SQLite and
 * PostgreSQL, so columns keep to portable types: booleans are integers 0/1,
 * JSON is text, timestamps are ISO 8601 text (which sorts by time).
 *
 * Tables that are listed in pages carry a `seq` column, an autoincrementing
 * integer: lists are ordered by it and page cursors are seqs. PostgreSQL
 * returns it (a bigint) as a string and SQLite as a number, hence its type.
 */
import type { Generated, Kysely, Selectable } from "kysely";

/** Which SQL backend a store runs on. */
export type SqlDialectName = "sqlite" | "postgres";

/** A seq as read back: SQLite gives a number, PostgreSQL a bigint as a string. */
export type SeqColumn = Generated<number | string>;

/** 0 or 1. */
export type Flag = number;

export interface ActorTable {
  uri: string;
  type: string;
  username: string;
  /** For the case-insensitive lookup of local usernames. */
  username_lower: string;
  host: string;
  local: Flag;
  inbox: string;
  shared_inbox: string | null;
  outbox: string | null;
  followers_uri: string | null;
  following_uri: string | null;
  featured_uri: string | null;
  url: string | null;
  name: string | null;
  summary: string | null;
  icon_url: string | null;
  manually_approves_followers: Flag;
  discoverable: Flag;
  /** JSON array of strings. */
  also_known_as: string;
  moved_to: string | null;
  /** JSON array of {name, value}. */
  fields: string;
  published: string | null;
  updated_at: string;
  fetched_at: string | null;
  deleted_at: string | null;
  /** JSON object, or null for local actors. */
  document: string | null;
  /** Local actors: changes with every write to the row or its keys (triggers keep it; see migration 0008). */
  doc_version: Generated<number>;
}

export interface KeyTable {
  key_id: string;
  owner_uri: string;
  public_key_pem: string;
  private_key_pem: string | null;
}

export interface FollowTable {
  seq: SeqColumn;
  follower_uri: string;
  followee_uri: string;
  activity_uri: string;
  state: string;
  created_at: string;
}

export interface ObjectTable {
  seq: SeqColumn;
  uri: string;
  type: string;
  attributed_to: string | null;
  local: Flag;
  visibility: string;
  in_reply_to: string | null;
  published: string | null;
  updated: string | null;
  /** JSON array of strings. */
  recipients: string;
  /** JSON object. */
  document: string;
  deleted_at: string | null;
  former_type: string | null;
}

export interface ActivityTable {
  seq: SeqColumn;
  uri: string;
  type: string;
  actor_uri: string;
  object_uri: string | null;
  target_uri: string | null;
  local: Flag;
  visibility: string;
  /** JSON array of strings. */
  recipients: string;
  /** JSON object. */
  document: string;
  published: string;
}

export interface ReactionTable {
  seq: SeqColumn;
  activity_uri: string;
  type: string;
  actor_uri: string;
  object_uri: string;
  created_at: string;
}

export interface BlockTable {
  seq: SeqColumn;
  activity_uri: string;
  actor_uri: string;
  target_uri: string;
  created_at: string;
}

export interface CollectionItemTable {
  seq: SeqColumn;
  collection_uri: string;
  item_uri: string;
  added_at: string;
}

export interface InboxEntryTable {
  seq: SeqColumn;
  actor_uri: string;
  activity_uri: string;
  received_at: string;
}

export interface JobTable {
  id: string;
  queue: string;
  /** JSON. */
  payload: string;
  status: string;
  attempts: number;
  run_at: string;
  created_at: string;
  finished_at: string | null;
  last_error: string | null;
  dedupe_key: string | null;
  group_key: string | null;
  /** The worker holding the lease, while one does. */
  locked_by: string | null;
  /** When the lease lapses and another worker may take the job. */
  locked_until: string | null;
}

export interface HostHealthTable {
  host: string;
  failures: number;
  last_failure_at: string | null;
  backoff_until: string | null;
}

export interface WebFingerCacheTable {
  acct: string;
  actor_uri: string;
  fetched_at: string;
}

/** Every table of the store. */
export interface Database {
  actors: ActorTable;
  keys: KeyTable;
  follows: FollowTable;
  objects: ObjectTable;
  activities: ActivityTable;
  reactions: ReactionTable;
  blocks: BlockTable;
  collection_items: CollectionItemTable;
  inbox_entries: InboxEntryTable;
  jobs: JobTable;
  host_health: HostHealthTable;
  webfinger_cache: WebFingerCacheTable;
}

export type ActorRow = Selectable<ActorTable>;
export type KeyRow = Selectable<KeyTable>;
export type FollowRow = Selectable<FollowTable>;
export type ObjectRow = Selectable<ObjectTable>;
export type ActivityRow = Selectable<ActivityTable>;
export type ReactionRow = Selectable<ReactionTable>;
export type BlockRow = Selectable<BlockTable>;
export type CollectionItemRow = Selectable<CollectionItemTable>;
export type JobRow = Selectable<JobTable>;
export type HostHealthRow = Selectable<HostHealthTable>;
export type WebFingerCacheRow = Selectable<WebFingerCacheTable>;

/** What repositories run on: the database itself or an open transaction of it. */
export type Queryable = Kysely<Database>;
