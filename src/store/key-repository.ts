/** Public keys (and local actors' private halves) in the `keys` table. */
import type { KeyRecord } from "./records.ts";
import type { KeyRow, Queryable } from "./schema.ts";
import type { KeyRepository } from "./store.ts";
import { prepareQuery, type PreparedQueries } from "./prepared-queries.ts";

/** A `keys` row as a record. */
export function keyRowToRecord(row: KeyRow): KeyRecord {
  return {
    keyId: row.key_id,
    ownerUri: row.owner_uri,
    publicKeyPem: row.public_key_pem,
    privateKeyPem: row.private_key_pem,
  };
}

// Read for every signature whose key is not cached (see prepared-queries.ts).
const selectKey = prepareQuery<[string], KeyRow>(1, (db, [keyId]) => db.selectFrom("keys").selectAll().where("key_id", "=", keyId));

/** The key repository over a database or transaction. */
export function createKeyRepository(db: Queryable, prepared: PreparedQueries): KeyRepository {
  return {
    async get(keyId) {
      const row = (await prepared.execute(db, selectKey, [keyId])).rows[0];
      return row === undefined ? null : keyRowToRecord(row);
    },

    async put(key) {
      const changes = {
        owner_uri: key.ownerUri,
        public_key_pem: key.publicKeyPem,
        private_key_pem: key.privateKeyPem,
      };
      await db
        .insertInto("keys")
        .values({ key_id: key.keyId, ...changes })
        .onConflict((oc) => oc.column("key_id").doUpdateSet(changes))
        .execute();
    },

    async add(key) {
      const inserted = await db
        .insertInto("keys")
        .values({
          key_id: key.keyId,
          owner_uri: key.ownerUri,
          public_key_pem: key.publicKeyPem,
          private_key_pem: key.privateKeyPem,
        })
        .onConflict((oc) => oc.column("key_id").doNothing())
        .returning("key_id")
        .execute();
      return inserted.length > 0;
    },

    async listForOwner(ownerUri) {
      const rows = await db.selectFrom("keys").selectAll().where("owner_uri", "=", ownerUri).orderBy("key_id").execute();
      return rows.map(keyRowToRecord);
    },

    async removeForOwner(ownerUri) {
      await db.deleteFrom("keys").where("owner_uri", "=", ownerUri).execute();
    },
  };
}
