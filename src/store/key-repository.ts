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

// Run whenever a remote actor is stored with its keys (see prepared-queries.ts).
const upsertKey = prepareQuery<[string, string, string, string | null], unknown>(
  4,
  (db, [keyId, ownerUri, publicKeyPem, privateKeyPem]) =>
    db
      .insertInto("keys")
      .values({ key_id: keyId, owner_uri: ownerUri, public_key_pem: publicKeyPem, private_key_pem: privateKeyPem })
      .onConflict((oc) =>
        oc.column("key_id").doUpdateSet({ owner_uri: ownerUri, public_key_pem: publicKeyPem, private_key_pem: privateKeyPem }),
      ),
);
const selectKeysOfOwner = prepareQuery<[string], KeyRow>(1, (db, [ownerUri]) =>
  db.selectFrom("keys").selectAll().where("owner_uri", "=", ownerUri).orderBy("key_id"),
);
const deleteKeysOfOwner = prepareQuery<[string], unknown>(1, (db, [ownerUri]) =>
  db.deleteFrom("keys").where("owner_uri", "=", ownerUri),
);

/** The key repository over a database or transaction. */
export function createKeyRepository(db: Queryable, prepared: PreparedQueries): KeyRepository {
  return {
    async get(keyId) {
      const row = (await prepared.execute(db, selectKey, [keyId])).rows[0];
      return row === undefined ? null : keyRowToRecord(row);
    },

    async put(key) {
      await prepared.execute(db, upsertKey, [key.keyId, key.ownerUri, key.publicKeyPem, key.privateKeyPem]);
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
      const { rows } = await prepared.execute(db, selectKeysOfOwner, [ownerUri]);
      return rows.map(keyRowToRecord);
    },

    async removeForOwner(ownerUri) {
      await prepared.execute(db, deleteKeysOfOwner, [ownerUri]);
    },
  };
}
