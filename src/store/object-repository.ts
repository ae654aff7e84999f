/** Objects (Notes, Articles, anything) kept whole in the `objects` table. */
import type { Insertable } from "kysely";
import type { JsonObject, ObjectRecord, Page, Visibility } from "./records.ts";
import type { ObjectRow, ObjectTable, Queryable } from "./schema.ts";
import type { ObjectListFilter, ObjectRepository } from "./store.ts";
import { applySeqWindow, readPage } from "./paging.ts";
import { prepareQuery, rowArguments, rowOfArguments, type PreparedQueries } from "./prepared-queries.ts";
import { fromFlag, fromJson, toCount, toFlag, toJson } from "./sql-values.ts";

/** An `objects` row as a record. */
export function objectRowToRecord(row: ObjectRow): ObjectRecord {
  return {
    uri: row.uri,
    type: row.type,
    attributedTo: row.attributed_to,
    local: fromFlag(row.local),
    visibility: row.visibility as Visibility,
    inReplyTo: row.in_reply_to,
    published: row.published,
    updated: row.updated,
    recipients: fromJson<string[]>(row.recipients),
    document: fromJson<JsonObject>(row.document),
    deletedAt: row.deleted_at,
    formerType: row.former_type,
  };
}

/** A record as an `objects` row. */
export function objectRecordToRow(object: ObjectRecord): Insertable<ObjectTable> {
  return {
    uri: object.uri,
    type: object.type,
    attributed_to: object.attributedTo,
    local: toFlag(object.local),
    visibility: object.visibility,
    in_reply_to: object.inReplyTo,
    published: object.published,
    updated: object.updated,
    recipients: toJson(object.recipients),
    document: toJson(object.document),
    deleted_at: object.deletedAt,
    former_type: object.formerType,
  };
}

const EMPTY_PAGE: Page<ObjectRecord> = { items: [], next: null, prev: null };

type ObjectInsert = Insertable<ObjectTable>;
const OBJECT_COLUMNS: readonly (keyof ObjectInsert & string)[] = [
  "uri", "type", "attributed_to", "local", "visibility", "in_reply_to", "published", "updated",
  "recipients", "document", "deleted_at", "former_type",
];

// Run for every incoming object: see prepared-queries.ts.
const selectObject = prepareQuery<[string], ObjectRow>(1, (db, [uri]) =>
  db.selectFrom("objects").selectAll().where("uri", "=", uri),
);
const upsertObject = prepareQuery<unknown[], unknown>(OBJECT_COLUMNS.length, (db, args) => {
  const { uri, ...changes } = rowOfArguments<ObjectInsert>(OBJECT_COLUMNS, args);
  return db
    .insertInto("objects")
    .values({ uri, ...changes })
    .onConflict((oc) => oc.column("uri").doUpdateSet(changes));
});

/**
 * The object repository over a database or transaction. Lists and counts
 * hold live objects only: a tombstone is still served by `get` but no longer
 * listed. Re-putting an object (an edit) keeps its place in lists.
 */
export function createObjectRepository(db: Queryable, prepared: PreparedQueries): ObjectRepository {
  function live(filter: ObjectListFilter) {
    return db
      .selectFrom("objects")
      .where("deleted_at", "is", null)
      .where("visibility", "in", [...filter.visibilities]);
  }

  return {
    async get(uri) {
      const row = (await prepared.execute(db, selectObject, [uri])).rows[0];
      return row === undefined ? null : objectRowToRecord(row);
    },

    async put(object) {
      await prepared.execute(db, upsertObject, rowArguments(OBJECT_COLUMNS, objectRecordToRow(object)));
    },

    async tombstone(uri, { deletedAt, formerType, tombstone }) {
      await db
        .updateTable("objects")
        .set({
          type: typeof tombstone.type === "string" ? tombstone.type : "Tombstone",
          document: toJson(tombstone),
          deleted_at: deletedAt,
          former_type: formerType,
        })
        .where("uri", "=", uri)
        .execute();
    },

    async listByAuthor(attributedTo, filter, page) {
      if (filter.visibilities.length === 0) return EMPTY_PAGE;
      return readPage(
        page,
        (window) => applySeqWindow(live(filter).selectAll().where("attributed_to", "=", attributedTo), "seq", window).execute(),
        objectRowToRecord,
      );
    },

    async listReplies(inReplyTo, filter, page) {
      if (filter.visibilities.length === 0) return EMPTY_PAGE;
      return readPage(
        page,
        (window) => applySeqWindow(live(filter).selectAll().where("in_reply_to", "=", inReplyTo), "seq", window).execute(),
        objectRowToRecord,
      );
    },

    async countReplies(inReplyTo, filter) {
      if (filter.visibilities.length === 0) return 0;
      const row = await live(filter)
        .select((eb) => eb.fn.countAll().as("n"))
        .where("in_reply_to", "=", inReplyTo)
        .executeTakeFirstOrThrow();
      return toCount(row.n);
    },

    async removeByAuthor(attributedTo) {
      const result = await db.deleteFrom("objects").where("attributed_to", "=", attributedTo).executeTakeFirst();
      return toCount(result.numDeletedRows);
    },

    async remove(uri) {
      await db.deleteFrom("objects").where("uri", "=", uri).execute();
    },
  };
}
