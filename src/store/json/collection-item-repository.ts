/** Items of actors' own collections in `collection-items.json`. */
import type { CollectionItemRecord } from "../records.ts";
import type { CollectionItemRepository } from "../store.ts";
import { countWhere, listPage, where, type JsonContext } from "./json-context.ts";
import { compoundKey, type CollectionItemRow } from "./tables.ts";

function toRecord(row: CollectionItemRow): CollectionItemRecord {
  return { collectionUri: row.collectionUri, itemUri: row.itemUri, addedAt: row.addedAt };
}

/** The collection item repository; an item is in a collection at most once. */
export function createCollectionItemRepository(ctx: JsonContext): CollectionItemRepository {
  const items = () => ctx.view().rows("collectionItems");

  return {
    add(item) {
      const record = toRecord({ ...item, seq: 0 });
      return ctx.write((draft) => {
        if (draft.rows("collectionItems").has(compoundKey(record.collectionUri, record.itemUri))) return false;
        draft.put("collectionItems", { ...record, seq: draft.takeSeq("collectionItems") });
        return true;
      });
    },

    remove(collectionUri, itemUri) {
      return ctx.write((draft) => draft.delete("collectionItems", compoundKey(collectionUri, itemUri)) !== undefined);
    },

    async has(collectionUri, itemUri) {
      return items().has(compoundKey(collectionUri, itemUri));
    },

    list(collectionUri, page) {
      return listPage({ rows: where(items(), (row) => row.collectionUri === collectionUri), request: page, toRecord });
    },

    async count(collectionUri) {
      return countWhere(items(), (row) => row.collectionUri === collectionUri);
    },

    removeItemEverywhere(itemUri) {
      return ctx.write((draft) => {
        const doomed = [...where(draft.rows("collectionItems"), (row) => row.itemUri === itemUri)];
        for (const row of doomed) draft.delete("collectionItems", compoundKey(row.collectionUri, row.itemUri));
        return doomed.length;
      });
    },
  };
}
