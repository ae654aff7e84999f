/** Blocks of one actor by another in `blocks.json`. */
import type { BlockRecord } from "../records.ts";
import type { BlockRepository } from "../store.ts";
import { listPage, where, type JsonContext } from "./json-context.ts";
import { compoundKey, type BlockRow } from "./tables.ts";

function toRecord(row: BlockRow): BlockRecord {
  return { activityUri: row.activityUri, actorUri: row.actorUri, targetUri: row.targetUri, createdAt: row.createdAt };
}

/** The block repository; a put replaces the block of the same pair, keeping its place in lists. */
export function createBlockRepository(ctx: JsonContext): BlockRepository {
  const blocks = () => ctx.view().rows("blocks");

  return {
    put(block) {
      const record = toRecord({ ...block, seq: 0 });
      return ctx.write((draft) => {
        const existing = draft.rows("blocks").get(compoundKey(record.actorUri, record.targetUri));
        draft.put("blocks", { ...record, seq: existing?.seq ?? draft.takeSeq("blocks") });
      });
    },

    remove(actorUri, targetUri) {
      return ctx.write((draft) => {
        const row = draft.delete("blocks", compoundKey(actorUri, targetUri));
        return row === undefined ? null : toRecord(row);
      });
    },

    async get(actorUri, targetUri) {
      const row = blocks().get(compoundKey(actorUri, targetUri));
      return row === undefined ? null : toRecord(row);
    },

    async blockersAmong(actorUris, targetUri) {
      const rows = blocks();
      return [...new Set(actorUris)].filter((actorUri) => rows.has(compoundKey(actorUri, targetUri)));
    },

    list(actorUri, page) {
      return listPage({ rows: where(blocks(), (row) => row.actorUri === actorUri), request: page, toRecord });
    },

    removeByActor(actorUri) {
      return ctx.write((draft) => {
        const doomed = [...where(draft.rows("blocks"), (row) => row.actorUri === actorUri)];
        for (const row of doomed) draft.delete("blocks", compoundKey(row.actorUri, row.targetUri));
        return doomed.length;
      });
    },
  };
}
