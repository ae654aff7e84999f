/** Items of actors' own collections in the `collection_items` table. */
import type { CollectionItemRecord } from "./records.ts";
import type { CollectionItemRow, Queryable } from "./schema.ts";
import type { CollectionItemRepository } from "./store.ts";
import { applySeqWindow, readPage } from "./paging.ts";
import { toCount } from "./sql-values.ts";

/** A `collection_items` row as a record. */
export function collectionItemRowToRecord(row: CollectionItemRow): CollectionItemRecord {
  return { collectionUri: row.collection_uri, itemUri: row.item_uri, addedAt: row.added_at };
}

/** The collection item repository over a database or transaction. */
export function createCollectionItemRepository(db: Queryable): CollectionItemRepository {
  return {
    async add(item) {
      const inserted = await db
        .insertInto("collection_items")
        .values({ collection_uri: item.collectionUri, item_uri: item.itemUri, added_at: item.addedAt })
        .onConflict((oc) => oc.columns(["collection_uri", "item_uri"]).doNothing())
        .returning("seq")
        .execute();
      return inserted.length > 0;
    },

    async remove(collectionUri, itemUri) {
      const result = await db
        .deleteFrom("collection_items")
        .where("collection_uri", "=", collectionUri)
        .where("item_uri", "=", itemUri)
        .executeTakeFirst();
      return toCount(result.numDeletedRows) > 0;
    },

    async has(collectionUri, itemUri) {
      const row = await db
        .selectFrom("collection_items")
        .select("seq")
        .where("collection_uri", "=", collectionUri)
        .where("item_uri", "=", itemUri)
        .executeTakeFirst();
      return row !== undefined;
    },

    list(collectionUri, page) {
      return readPage(
        page,
        (window) =>
          applySeqWindow(
            db.selectFrom("collection_items").selectAll().where("collection_uri", "=", collectionUri),
            "seq",
            window,
          ).execute(),
        collectionItemRowToRecord,
      );
    },

    async count(collectionUri) {
      const row = await db
        .selectFrom("collection_items")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("collection_uri", "=", collectionUri)
        .executeTakeFirstOrThrow();
      return toCount(row.n);
    },

    async removeItemEverywhere(itemUri) {
      const result = await db.deleteFrom("collection_items").where("item_uri", "=", itemUri).executeTakeFirst();
      return toCount(result.numDeletedRows);
    },
  };
}
