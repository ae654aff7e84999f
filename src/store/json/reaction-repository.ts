/** Likes and Announces in `reactions.json`. */
import type { ReactionRecord } from "../records.ts";
import type { ReactionRepository } from "../store.ts";
import type { Draft } from "./draft.ts";
import { countWhere, listPage, where, type JsonContext } from "./json-context.ts";
import type { ReactionRow } from "./tables.ts";

function toRecord(row: ReactionRow): ReactionRecord {
  return {
    activityUri: row.activityUri,
    type: row.type,
    actorUri: row.actorUri,
    objectUri: row.objectUri,
    createdAt: row.createdAt,
  };
}

function removeWhere(draft: Draft, predicate: (row: ReactionRow) => boolean): ReactionRecord[] {
  const doomed = [...where(draft.rows("reactions"), predicate)];
  for (const row of doomed) draft.delete("reactions", row.activityUri);
  return doomed.map(toRecord);
}

/**
 * The reaction repository. An actor reacts at most once of each type to an
 * object, and an activity is one reaction: a repeat of either is refused.
 */
export function createReactionRepository(ctx: JsonContext): ReactionRepository {
  const reactions = () => ctx.view().rows("reactions");

  return {
    add(reaction) {
      const record = toRecord({ ...reaction, seq: 0 });
      return ctx.write((draft) => {
        const rows = draft.rows("reactions");
        if (rows.has(record.activityUri)) return false;
        for (const row of rows.values()) {
          if (row.type === record.type && row.actorUri === record.actorUri && row.objectUri === record.objectUri) return false;
        }
        draft.put("reactions", { ...record, seq: draft.takeSeq("reactions") });
        return true;
      });
    },

    async getByActivity(activityUri) {
      const row = reactions().get(activityUri);
      return row === undefined ? null : toRecord(row);
    },

    removeByActivity(activityUri) {
      return ctx.write((draft) => {
        const row = draft.delete("reactions", activityUri);
        return row === undefined ? null : toRecord(row);
      });
    },

    remove({ type, actorUri, objectUri }) {
      return ctx.write(
        (draft) =>
          removeWhere(draft, (row) => row.type === type && row.actorUri === actorUri && row.objectUri === objectUri)[0] ??
          null,
      );
    },

    list(objectUri, type, page) {
      return listPage({
        rows: where(reactions(), (row) => row.objectUri === objectUri && row.type === type),
        request: page,
        toRecord,
      });
    },

    async count(objectUri, type) {
      return countWhere(reactions(), (row) => row.objectUri === objectUri && row.type === type);
    },

    listByActor(actorUri, type, page) {
      return listPage({
        rows: where(reactions(), (row) => row.actorUri === actorUri && row.type === type),
        request: page,
        toRecord,
      });
    },

    async countByActor(actorUri, type) {
      return countWhere(reactions(), (row) => row.actorUri === actorUri && row.type === type);
    },

    removeByActor(actorUri) {
      return ctx.write((draft) => removeWhere(draft, (row) => row.actorUri === actorUri).length);
    },
  };
}
