/** Users in the `users` table and the actors they manage in `actor_owners`. */
import type { UserRecord } from "./account-records.ts";
import type { UserRepository } from "./account-store.ts";
import type { AccountQueryable, UserTable } from "./sql-account-store.ts";
import { fromFlag, toCount, toFlag } from "./sql-values.ts";

/** A `users` row as a record. */
export function userRowToRecord(row: UserTable): UserRecord {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    admin: fromFlag(row.admin),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The user repository over a database or transaction. */
export function createUserRepository(db: AccountQueryable): UserRepository {
  return {
    async create(user) {
      const result = await db
        .insertInto("users")
        .values({
          id: user.id,
          username: user.username,
          username_lower: user.username.toLowerCase(),
          password_hash: user.passwordHash,
          admin: toFlag(user.admin),
          created_at: user.createdAt,
          updated_at: user.updatedAt,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return toCount(result.numInsertedOrUpdatedRows) > 0;
    },

    async get(id) {
      const row = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
      return row === undefined ? null : userRowToRecord(row);
    },

    async getByUsername(username) {
      const row = await db
        .selectFrom("users")
        .selectAll()
        .where("username_lower", "=", username.toLowerCase())
        .executeTakeFirst();
      return row === undefined ? null : userRowToRecord(row);
    },

    async list() {
      const rows = await db.selectFrom("users").selectAll().orderBy("created_at", "asc").orderBy("username_lower", "asc").execute();
      return rows.map(userRowToRecord);
    },

    async count() {
      const row = await db.selectFrom("users").select((eb) => eb.fn.countAll().as("n")).executeTakeFirst();
      return toCount(row?.n as number | string | bigint | undefined);
    },

    async setPasswordHash(id, params) {
      const result = await db
        .updateTable("users")
        .set({ password_hash: params.passwordHash, updated_at: params.updatedAt })
        .where("id", "=", id)
        .executeTakeFirst();
      return toCount(result.numUpdatedRows) > 0;
    },

    async setAdmin(id, params) {
      const result = await db
        .updateTable("users")
        .set({ admin: toFlag(params.admin), updated_at: params.updatedAt })
        .where("id", "=", id)
        .executeTakeFirst();
      return toCount(result.numUpdatedRows) > 0;
    },

    async remove(id) {
      await db.deleteFrom("actor_owners").where("user_id", "=", id).execute();
      const result = await db.deleteFrom("users").where("id", "=", id).executeTakeFirst();
      return toCount(result.numDeletedRows) > 0;
    },

    async addActor(params) {
      const changes = { user_id: params.userId, created_at: params.createdAt };
      await db
        .insertInto("actor_owners")
        .values({ actor_uri: params.actorUri, ...changes })
        .onConflict((oc) => oc.column("actor_uri").doUpdateSet(changes))
        .execute();
    },

    async ownerOf(actorUri) {
      const row = await db.selectFrom("actor_owners").select("user_id").where("actor_uri", "=", actorUri).executeTakeFirst();
      return row?.user_id ?? null;
    },

    async actorsOf(userId) {
      const rows = await db
        .selectFrom("actor_owners")
        .select("actor_uri")
        .where("user_id", "=", userId)
        .orderBy("created_at", "asc")
        .orderBy("actor_uri", "asc")
        .execute();
      return rows.map((row) => row.actor_uri);
    },

    async removeActor(actorUri) {
      await db.deleteFrom("actor_owners").where("actor_uri", "=", actorUri).execute();
    },
  };
}
