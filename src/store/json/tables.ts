/**
 * The tables of the JSON store: what each one holds, which file it lives in,
 * how a row is keyed, and the shape a row must have when read back from disk
 * (the files are meant to be read, and sometimes edited, by people, so they
 * are checked on load rather than trusted).
 */
import { z } from "zod";
import type {
  ActivityRecord,
  ActorRecord,
  BlockRecord,
  CollectionItemRecord,
  FollowRecord,
  HostHealthRecord,
  InteractionRecord,
  JobRecord,
  KeyRecord,
  ObjectRecord,
  QuoteAuthorizationRecord,
  ReactionRecord,
  WebFingerCacheRecord,
} from "../records.ts";

/** A row's place in the lists of its table; lists run on it, newest (highest) first. */
export interface Sequenced {
  seq: number;
}

export type FollowRow = FollowRecord & Sequenced;
export type ObjectRow = ObjectRecord & Sequenced;
export type ActivityRow = ActivityRecord & Sequenced;
export type ReactionRow = ReactionRecord & Sequenced;
export type BlockRow = BlockRecord & Sequenced;
export type CollectionItemRow = CollectionItemRecord & Sequenced;
export type InteractionRow = InteractionRecord & Sequenced;
export type QuoteAuthorizationRow = QuoteAuthorizationRecord & Sequenced;

export interface InboxEntryRow extends Sequenced {
  actorUri: string;
  activityUri: string;
  receivedAt: string;
}

/** A job with its bookkeeping: when it finished and who holds its lease. */
export interface JobRow extends JobRecord, Sequenced {
  finishedAt: string | null;
  lockedBy: string | null;
  lockedUntil: string | null;
}

/** The row type of every table. */
export interface Rows {
  actors: ActorRecord;
  keys: KeyRecord;
  follows: FollowRow;
  objects: ObjectRow;
  activities: ActivityRow;
  reactions: ReactionRow;
  blocks: BlockRow;
  collectionItems: CollectionItemRow;
  inboxEntries: InboxEntryRow;
  jobs: JobRow;
  hostHealth: HostHealthRecord;
  webfinger: WebFingerCacheRecord;
  interactions: InteractionRow;
  quoteAuthorizations: QuoteAuthorizationRow;
}

export type TableName = keyof Rows;

/** How one table is kept. */
export interface TableDefinition<R> {
  /** The file it lives in, inside the store's directory. */
  readonly file: string;
  /** The row's unique key within the table. */
  readonly key: (row: R) => string;
  /** Checks a row read from disk. */
  readonly schema: z.ZodType<R>;
}

/** A key made of several parts; JSON keeps parts that contain any separator apart. */
export function compoundKey(...parts: readonly string[]): string {
  return JSON.stringify(parts);
}

const seq = z.number().int().nonnegative();
const text = z.string();
const optionalText = z.string().nullable();
const jsonObject = z.record(z.string(), z.unknown());
const visibility = z.enum(["public", "unlisted", "followers", "direct"]);
const strings = z.array(z.string());

const actorSchema = z.object({
  uri: text,
  type: text,
  username: text,
  host: text,
  local: z.boolean(),
  inbox: text,
  sharedInbox: optionalText,
  outbox: optionalText,
  followersUri: optionalText,
  followingUri: optionalText,
  featuredUri: optionalText,
  url: optionalText,
  name: optionalText,
  summary: optionalText,
  iconUrl: optionalText,
  manuallyApprovesFollowers: z.boolean(),
  discoverable: z.boolean(),
  alsoKnownAs: strings,
  movedTo: optionalText,
  fields: z.array(z.object({ name: text, value: text })),
  published: optionalText,
  updatedAt: text,
  fetchedAt: optionalText,
  deletedAt: optionalText,
  document: jsonObject.nullable(),
});

const keySchema = z.object({ keyId: text, ownerUri: text, publicKeyPem: text, privateKeyPem: optionalText });

const followSchema = z.object({
  seq,
  followerUri: text,
  followeeUri: text,
  activityUri: text,
  state: z.enum(["pending", "accepted"]),
  createdAt: text,
});

const objectSchema = z.object({
  seq,
  uri: text,
  type: text,
  attributedTo: optionalText,
  local: z.boolean(),
  visibility,
  inReplyTo: optionalText,
  published: optionalText,
  updated: optionalText,
  recipients: strings,
  document: jsonObject,
  deletedAt: optionalText,
  formerType: optionalText,
});

const activitySchema = z.object({
  seq,
  uri: text,
  type: text,
  actorUri: text,
  objectUri: optionalText,
  targetUri: optionalText,
  local: z.boolean(),
  visibility,
  recipients: strings,
  document: jsonObject,
  published: text,
});

const reactionSchema = z.object({
  seq,
  activityUri: text,
  type: z.enum(["Like", "Announce"]),
  actorUri: text,
  objectUri: text,
  createdAt: text,
});

const blockSchema = z.object({ seq, activityUri: text, actorUri: text, targetUri: text, createdAt: text });

const collectionItemSchema = z.object({ seq, collectionUri: text, itemUri: text, addedAt: text });

const inboxEntrySchema = z.object({ seq, actorUri: text, activityUri: text, receivedAt: text });

const jobSchema = z.object({
  seq,
  id: text,
  queue: text,
  payload: z.unknown(),
  status: z.enum(["pending", "done", "failed"]),
  attempts: z.number().int().nonnegative(),
  runAt: text,
  createdAt: text,
  lastError: optionalText,
  dedupeKey: optionalText,
  groupKey: optionalText,
  finishedAt: optionalText,
  lockedBy: optionalText,
  lockedUntil: optionalText,
});

const hostHealthSchema = z.object({
  host: text,
  failures: z.number().int().nonnegative(),
  lastFailureAt: optionalText,
  backoffUntil: optionalText,
});

const webFingerSchema = z.object({ acct: text, actorUri: text, fetchedAt: text });

const interactionSchema = z.object({
  seq,
  uri: text,
  kind: z.enum(["reply", "like", "boost", "mention", "quote"]),
  targetUri: optionalText,
  localActorUri: text,
  actorUri: text,
  content: optionalText,
  published: optionalText,
  updated: optionalText,
  visibility,
  document: jsonObject,
  createdAt: text,
  deletedAt: optionalText,
});

const quoteAuthorizationSchema = z.object({
  seq,
  uri: text,
  requestUri: text,
  state: z.enum(["pending", "accepted", "rejected", "revoked"]),
  localActorUri: text,
  actorUri: text,
  quoteUri: text,
  targetUri: text,
  request: jsonObject,
  createdAt: text,
  decidedAt: optionalText,
  revokedAt: optionalText,
});

/** Every table, in the order their files are listed in the README. */
export const TABLES: { readonly [N in TableName]: TableDefinition<Rows[N]> } = {
  actors: { file: "actors.json", key: (row) => row.uri, schema: actorSchema },
  keys: { file: "keys.json", key: (row) => row.keyId, schema: keySchema },
  follows: { file: "follows.json", key: (row) => compoundKey(row.followerUri, row.followeeUri), schema: followSchema },
  objects: { file: "objects.json", key: (row) => row.uri, schema: objectSchema },
  activities: { file: "activities.json", key: (row) => row.uri, schema: activitySchema },
  reactions: { file: "reactions.json", key: (row) => row.activityUri, schema: reactionSchema },
  blocks: { file: "blocks.json", key: (row) => compoundKey(row.actorUri, row.targetUri), schema: blockSchema },
  collectionItems: {
    file: "collection-items.json",
    key: (row) => compoundKey(row.collectionUri, row.itemUri),
    schema: collectionItemSchema,
  },
  inboxEntries: {
    file: "inbox-entries.json",
    key: (row) => compoundKey(row.actorUri, row.activityUri),
    schema: inboxEntrySchema,
  },
  jobs: { file: "jobs.json", key: (row) => row.id, schema: jobSchema },
  hostHealth: { file: "host-health.json", key: (row) => row.host, schema: hostHealthSchema },
  webfinger: { file: "webfinger-cache.json", key: (row) => row.acct, schema: webFingerSchema },
  interactions: { file: "interactions.json", key: (row) => compoundKey(row.uri, row.kind), schema: interactionSchema },
  quoteAuthorizations: { file: "quote-authorizations.json", key: (row) => row.uri, schema: quoteAuthorizationSchema },
};

export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

/** One table in memory: rows by key. Rows are never changed in place, only replaced. */
export type Table<N extends TableName> = Map<string, Rows[N]>;

/** Every table in memory, with the next seq each will hand out. */
export interface Tables {
  readonly rows: { [N in TableName]: Table<N> };
  readonly nextSeq: { [N in TableName]: number };
}

/** The empty store. */
export function emptyTables(): Tables {
  const rows = {} as { [N in TableName]: Table<N> };
  const nextSeq = {} as { [N in TableName]: number };
  for (const name of TABLE_NAMES) {
    (rows as Record<TableName, Map<string, unknown>>)[name] = new Map();
    nextSeq[name] = 1;
  }
  return { rows, nextSeq };
}

/** A table as kept on disk. */
export interface TableFile {
  table: TableName;
  /** The seq the next new row will get; seqs are never reused, so old cursors never point at newer rows. */
  nextSeq: number;
  rows: unknown[];
}

const tableFileSchema = z.object({
  table: z.string(),
  nextSeq: z.number().int().positive(),
  rows: z.array(z.unknown()),
});

/** A table file's text, readable: rows in list order (seq) or key order, two-space indented. */
export function serializeTable<N extends TableName>(params: {
  readonly name: N;
  readonly rows: Table<N>;
  readonly nextSeq: number;
}): string {
  const rows = [...params.rows.entries()];
  const seqOf = (row: unknown) => (row as Partial<Sequenced>).seq;
  rows.sort(([keyA, a], [keyB, b]) => {
    const seqA = seqOf(a);
    const seqB = seqOf(b);
    if (seqA !== undefined && seqB !== undefined) return seqA - seqB;
    return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
  });
  const file: TableFile = { table: params.name, nextSeq: params.nextSeq, rows: rows.map(([, row]) => row) };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** The outcome of reading one table file. */
export type ParsedTable<N extends TableName> =
  | { ok: true; rows: Table<N>; nextSeq: number }
  | { ok: false; reason: "malformed-json" | "invalid-shape" | "wrong-table" | "duplicate-key"; message: string };

/** Reads a table file's text, checking every row; `source` names the file in messages. */
export function parseTable<N extends TableName>(params: {
  readonly name: N;
  readonly text: string;
  readonly source: string;
}): ParsedTable<N> {
  const { name, source } = params;
  let json: unknown;
  try {
    json = JSON.parse(params.text);
  } catch (error) {
    return { ok: false, reason: "malformed-json", message: `${source} is not valid JSON: ${(error as Error).message}` };
  }
  const file = tableFileSchema.safeParse(json);
  if (!file.success) {
    return { ok: false, reason: "invalid-shape", message: `${source}: ${z.prettifyError(file.error)}` };
  }
  if (file.data.table !== name) {
    return { ok: false, reason: "wrong-table", message: `${source} holds table "${file.data.table}", not "${name}"` };
  }
  const definition = TABLES[name] as TableDefinition<Rows[N]>;
  const rows: Table<N> = new Map();
  let nextSeq = file.data.nextSeq;
  for (const [index, raw] of file.data.rows.entries()) {
    const row = definition.schema.safeParse(raw);
    if (!row.success) {
      return { ok: false, reason: "invalid-shape", message: `${source}, row ${index}: ${z.prettifyError(row.error)}` };
    }
    const key = definition.key(row.data);
    if (rows.has(key)) {
      return { ok: false, reason: "duplicate-key", message: `${source}, row ${index}: a second row with key ${key}` };
    }
    rows.set(key, row.data);
    // A hand-edited file may add rows without raising nextSeq; never hand out a seq in use.
    const rowSeq = (row.data as Partial<Sequenced>).seq;
    if (rowSeq !== undefined && rowSeq >= nextSeq) nextSeq = rowSeq + 1;
  }
  return { ok: true, rows, nextSeq };
}
