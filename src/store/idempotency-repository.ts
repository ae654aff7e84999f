/** Idempotency keys of outbox requests in the `idempotency_keys` table. */
import type { IdempotencyRecord } from "./account-records.ts";
import type { IdempotencyRepository } from "./account-store.ts";
import type { AccountQueryable, IdempotencyTable } from "./sql-account-store.ts";
import { toCount } from "./sql-values.ts";

/** An `idempotency_keys` row as a record. */
export function idempotencyRowToRecord(row: IdempotencyTable): IdempotencyRecord {
  return {
    userId: row.user_id,
    key: row.key,
    requestHash: row.request_hash,
    activityUri: row.activity_uri,
    createdAt: row.created_at,
  };
}

/** The idempotency key repository over a database or transaction. */
export function createIdempotencyRepository(db: AccountQueryable): IdempotencyRepository {
  const reserve: IdempotencyRepository["reserve"] = async (record, params) => {
    await db
      .deleteFrom("idempotency_keys")
      .where("user_id", "=", record.userId)
      .where("key", "=", record.key)
      .where("created_at", "<", params.replaceBefore)
      .execute();
    const result = await db
      .insertInto("idempotency_keys")
      .values({
        user_id: record.userId,
        key: record.key,
        request_hash: record.requestHash,
        activity_uri: record.activityUri,
        created_at: record.createdAt,
      })
      .onConflict((oc) => oc.columns(["user_id", "key"]).doNothing())
      .executeTakeFirst();
    if (toCount(result.numInsertedOrUpdatedRows) > 0) return { kind: "reserved" };
    const row = await db
      .selectFrom("idempotency_keys")
      .selectAll()
      .where("user_id", "=", record.userId)
      .where("key", "=", record.key)
      .executeTakeFirst();
    // Released between the insert and the read: try again.
    if (row === undefined) return reserve(record, params);
    return { kind: "existing", record: idempotencyRowToRecord(row) };
  };
  return {
    reserve,

    async complete(params) {
      await db
        .updateTable("idempotency_keys")
        .set({ activity_uri: params.activityUri })
        .where("user_id", "=", params.userId)
        .where("key", "=", params.key)
        .execute();
    },

    async release(params) {
      await db
        .deleteFrom("idempotency_keys")
        .where("user_id", "=", params.userId)
        .where("key", "=", params.key)
        .where("activity_uri", "is", null)
        .execute();
    },

    async purge(before) {
      const result = await db.deleteFrom("idempotency_keys").where("created_at", "<", before).executeTakeFirst();
      return toCount(result.numDeletedRows);
    },
  };
}
