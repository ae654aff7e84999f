/** Actors, local and remote, in the `actors` table. */
import { sql, type Insertable } from "kysely";
import type { ActorRecord, JsonObject, ProfileField } from "./records.ts";
import type { ActorRow, ActorTable, Queryable } from "./schema.ts";
import type { ActorDocumentVersion, ActorRepository } from "./store.ts";
import type { ChangeWatch } from "./change-watch.ts";
import { prepareQuery, rowArguments, rowOfArguments, type PreparedQueries } from "./prepared-queries.ts";
import { fromFlag, fromJson, toFlag, toJson } from "./sql-values.ts";

/** An `actors` row as a record. */
export function actorRowToRecord(row: ActorRow): ActorRecord {
  return {
    uri: row.uri,
    type: row.type,
    username: row.username,
    host: row.host,
    local: fromFlag(row.local),
    inbox: row.inbox,
    sharedInbox: row.shared_inbox,
    outbox: row.outbox,
    followersUri: row.followers_uri,
    followingUri: row.following_uri,
    featuredUri: row.featured_uri,
    url: row.url,
    name: row.name,
    summary: row.summary,
    iconUrl: row.icon_url,
    manuallyApprovesFollowers: fromFlag(row.manually_approves_followers),
    discoverable: fromFlag(row.discoverable),
    alsoKnownAs: fromJson<string[]>(row.also_known_as),
    movedTo: row.moved_to,
    fields: fromJson<ProfileField[]>(row.fields),
    published: row.published,
    updatedAt: row.updated_at,
    fetchedAt: row.fetched_at,
    deletedAt: row.deleted_at,
    document: row.document === null ? null : fromJson<JsonObject>(row.document),
  };
}

/** A record as an `actors` row. */
export function actorRecordToRow(actor: ActorRecord): Insertable<ActorTable> {
  return {
    uri: actor.uri,
    type: actor.type,
    username: actor.username,
    username_lower: actor.username.toLowerCase(),
    host: actor.host,
    local: toFlag(actor.local),
    inbox: actor.inbox,
    shared_inbox: actor.sharedInbox,
    outbox: actor.outbox,
    followers_uri: actor.followersUri,
    following_uri: actor.followingUri,
    featured_uri: actor.featuredUri,
    url: actor.url,
    name: actor.name,
    summary: actor.summary,
    icon_url: actor.iconUrl,
    manually_approves_followers: toFlag(actor.manuallyApprovesFollowers),
    discoverable: toFlag(actor.discoverable),
    also_known_as: toJson(actor.alsoKnownAs),
    moved_to: actor.movedTo,
    fields: toJson(actor.fields),
    published: actor.published,
    updated_at: actor.updatedAt,
    fetched_at: actor.fetchedAt,
    deleted_at: actor.deletedAt,
    document: actor.document === null ? null : toJson(actor.document),
  };
}

// Read on every request for an actor document, WebFinger or a personal
// inbox, and for every activity whose sender is not cached: compiled once
// (see prepared-queries.ts).
const selectActor = prepareQuery<[string], ActorRow>(1, (db, [uri]) => db.selectFrom("actors").selectAll().where("uri", "=", uri));
const selectLocalActor = prepareQuery<[string], ActorRow>(1, (db, [usernameLower]) =>
  db
    .selectFrom("actors")
    .selectAll()
    // A literal, not a parameter: only then can the planners prove the
    // query matches the partial unique index on local usernames.
    .where("local", "=", sql.lit(1))
    .where("username_lower", "=", usernameLower),
);
const selectDocumentVersion = prepareQuery<[string], { uri: string; doc_version: number }>(1, (db, [usernameLower]) =>
  db.selectFrom("actors").select(["uri", "doc_version"]).where("local", "=", sql.lit(1)).where("username_lower", "=", usernameLower),
);

type ActorInsert = Insertable<ActorTable>;
const ACTOR_COLUMNS: readonly (keyof ActorInsert & string)[] = [
  "uri", "type", "username", "username_lower", "host", "local", "inbox", "shared_inbox", "outbox", "followers_uri",
  "following_uri", "featured_uri", "url", "name", "summary", "icon_url", "manually_approves_followers", "discoverable",
  "also_known_as", "moved_to", "fields", "published", "updated_at", "fetched_at", "deleted_at", "document",
];

// Run for every remote actor fetched, e.g. the sender of each new Follow.
const upsertActor = prepareQuery<unknown[], unknown>(ACTOR_COLUMNS.length, (db, args) => {
  const { uri, ...changes } = rowOfArguments<ActorInsert>(ACTOR_COLUMNS, args);
  return db
    .insertInto("actors")
    .values({ uri, ...changes })
    .onConflict((oc) => oc.column("uri").doUpdateSet(changes));
});

/** Local actors whose document versions a {@link DocumentVersionMemo} keeps; more are read each time. */
const MEMO_ENTRIES = 1000;

/**
 * Document versions kept while a SQLite connection has seen no write. Every
 * fetch of an actor document or a WebFinger answer asks for one; between
 * writes the answer cannot change, and checking the watch costs a fraction
 * of the read (see change-watch.ts).
 */
export interface DocumentVersionMemo {
  readonly watch: ChangeWatch;
  readonly versions: Map<string, ActorDocumentVersion>;
  token: string | undefined;
}

/** An empty memo over a connection's change watch. */
export function createDocumentVersionMemo(watch: ChangeWatch): DocumentVersionMemo {
  return { watch, versions: new Map(), token: undefined };
}

/**
 * The actor repository over a database or transaction. Deleted actors stay
 * readable (by `get`, `getLocal` and `listLocal`) with `deletedAt` set, so
 * that their URIs can answer 410 Gone.
 */
export function createActorRepository(
  db: Queryable,
  prepared: PreparedQueries,
  memo?: DocumentVersionMemo,
): ActorRepository {
  return {
    async get(uri) {
      const row = (await prepared.execute(db, selectActor, [uri])).rows[0];
      return row === undefined ? null : actorRowToRecord(row);
    },

    async getLocal(username) {
      const row = (await prepared.execute(db, selectLocalActor, [username.toLowerCase()])).rows[0];
      return row === undefined ? null : actorRowToRecord(row);
    },

    async put(actor) {
      await prepared.execute(db, upsertActor, rowArguments(ACTOR_COLUMNS, actorRecordToRow(actor)));
    },

    async listLocal() {
      const rows = await db.selectFrom("actors").selectAll().where("local", "=", 1).orderBy("username_lower").execute();
      return rows.map(actorRowToRecord);
    },

    async markDeleted(uri, deletedAt) {
      await db.updateTable("actors").set({ deleted_at: deletedAt, updated_at: deletedAt }).where("uri", "=", uri).execute();
    },

    async remove(uri) {
      await db.deleteFrom("actors").where("uri", "=", uri).execute();
    },

    async documentVersion(username) {
      const usernameLower = username.toLowerCase();
      // Taken before the read: a write that lands during it changes the token, and the next call reads again.
      const token = memo?.watch.token();
      if (memo !== undefined && token !== undefined) {
        if (token === memo.token) {
          const kept = memo.versions.get(usernameLower);
          if (kept !== undefined) return kept;
        } else {
          memo.versions.clear();
          memo.token = token;
        }
      }
      const row = (await prepared.execute(db, selectDocumentVersion, [usernameLower])).rows[0];
      if (row === undefined) return null;
      const version = { uri: row.uri, version: Number(row.doc_version) };
      // Only actors that exist are kept, so that asking for made-up names cannot grow the memo.
      if (memo !== undefined && token !== undefined && token === memo.token && memo.versions.size < MEMO_ENTRIES) {
        memo.versions.set(usernameLower, version);
      }
      return version;
    },
  };
}
