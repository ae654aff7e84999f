/** Objects (Notes, Articles, anything) kept whole in `objects.json`. */
import type { ObjectRecord } from "../records.ts";
import type { ObjectListFilter, ObjectRepository } from "../store.ts";
import { countWhere, emptyPage, handOut, jsonCopy, listPage, where, type JsonContext } from "./json-context.ts";
import type { ObjectRow } from "./tables.ts";

function toRecord(row: ObjectRow): ObjectRecord {
  return {
    uri: row.uri,
    type: row.type,
    attributedTo: row.attributedTo,
    local: row.local,
    visibility: row.visibility,
    inReplyTo: row.inReplyTo,
    published: row.published,
    updated: row.updated,
    recipients: handOut(row.recipients),
    document: handOut(row.document),
    deletedAt: row.deletedAt,
    formerType: row.formerType,
  };
}

/** Whether a row is listed under a filter: live, and of an asked visibility. */
function listed(row: ObjectRow, filter: ObjectListFilter): boolean {
  return row.deletedAt === null && filter.visibilities.includes(row.visibility);
}

/**
 * The object repository. Lists and counts hold live objects only: a
 * tombstone is still served by `get` but no longer listed. Re-putting an
 * object (an edit) keeps its place in lists.
 */
export function createObjectRepository(ctx: JsonContext): ObjectRepository {
  const objects = () => ctx.view().rows("objects");

  return {
    async get(uri) {
      const row = objects().get(uri);
      return row === undefined ? null : toRecord(row);
    },

    put(object) {
      const fields: Omit<ObjectRow, "seq"> = {
        uri: object.uri,
        type: object.type,
        attributedTo: object.attributedTo ?? null,
        local: object.local,
        visibility: object.visibility,
        inReplyTo: object.inReplyTo ?? null,
        published: object.published ?? null,
        updated: object.updated ?? null,
        recipients: jsonCopy(object.recipients),
        document: jsonCopy(object.document),
        deletedAt: object.deletedAt ?? null,
        formerType: object.formerType ?? null,
      };
      return ctx.write((draft) => {
        const existing = draft.rows("objects").get(fields.uri);
        draft.put("objects", { ...fields, seq: existing?.seq ?? draft.takeSeq("objects") });
      });
    },

    tombstone(uri, { deletedAt, formerType, tombstone }) {
      const document = jsonCopy(tombstone);
      return ctx.write((draft) => {
        const row = draft.rows("objects").get(uri);
        if (row === undefined) return;
        const type = typeof document.type === "string" ? document.type : "Tombstone";
        draft.put("objects", { ...row, type, document, deletedAt, formerType });
      });
    },

    async listByAuthor(attributedTo, filter, page) {
      if (filter.visibilities.length === 0) return emptyPage();
      return listPage({
        rows: where(objects(), (row) => row.attributedTo === attributedTo && listed(row, filter)),
        request: page,
        toRecord,
      });
    },

    async listReplies(inReplyTo, filter, page) {
      if (filter.visibilities.length === 0) return emptyPage();
      return listPage({
        rows: where(objects(), (row) => row.inReplyTo === inReplyTo && listed(row, filter)),
        request: page,
        toRecord,
      });
    },

    async countReplies(inReplyTo, filter) {
      return countWhere(objects(), (row) => row.inReplyTo === inReplyTo && listed(row, filter));
    },

    removeByAuthor(attributedTo) {
      return ctx.write((draft) => {
        const doomed = [...where(draft.rows("objects"), (row) => row.attributedTo === attributedTo)];
        for (const row of doomed) draft.delete("objects", row.uri);
        return doomed.length;
      });
    },

    remove(uri) {
      return ctx.write((draft) => {
        draft.delete("objects", uri);
      });
    },
  };
}
