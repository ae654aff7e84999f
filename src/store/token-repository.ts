/** Issued tokens in the `oauth_tokens` table, known by their hashes. */
import type { TokenKind, TokenRecord } from "./account-records.ts";
import type { TokenRepository } from "./account-store.ts";
import type { AccountQueryable, TokenTable } from "./sql-account-store.ts";
import { fromJson, toCount, toJson } from "./sql-values.ts";

/** An `oauth_tokens` row as a record. */
export function tokenRowToRecord(row: TokenTable): TokenRecord {
  return {
    id: row.id,
    tokenHash: row.token_hash,
    kind: row.kind as TokenKind,
    userId: row.user_id,
    clientId: row.client_id,
    familyId: row.family_id,
    scopes: fromJson<string[]>(row.scopes),
    name: row.name,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** The token repository over a database or transaction. */
export function createTokenRepository(db: AccountQueryable): TokenRepository {
  return {
    async add(token) {
      await db
        .insertInto("oauth_tokens")
        .values({
          id: token.id,
          token_hash: token.tokenHash,
          kind: token.kind,
          user_id: token.userId,
          client_id: token.clientId,
          family_id: token.familyId,
          scopes: toJson(token.scopes),
          name: token.name,
          created_at: token.createdAt,
          expires_at: token.expiresAt,
          revoked_at: token.revokedAt,
        })
        .execute();
    },

    async getByHash(tokenHash) {
      const row = await db.selectFrom("oauth_tokens").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
      return row === undefined ? null : tokenRowToRecord(row);
    },

    async get(id) {
      const row = await db.selectFrom("oauth_tokens").selectAll().where("id", "=", id).executeTakeFirst();
      return row === undefined ? null : tokenRowToRecord(row);
    },

    async revoke(id, revokedAt) {
      const result = await db
        .updateTable("oauth_tokens")
        .set({ revoked_at: revokedAt })
        .where("id", "=", id)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return toCount(result.numUpdatedRows) > 0;
    },

    async revokeFamily(familyId, revokedAt) {
      const result = await db
        .updateTable("oauth_tokens")
        .set({ revoked_at: revokedAt })
        .where("family_id", "=", familyId)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return toCount(result.numUpdatedRows);
    },

    async revokeForUser(userId, revokedAt) {
      const result = await db
        .updateTable("oauth_tokens")
        .set({ revoked_at: revokedAt })
        .where("user_id", "=", userId)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return toCount(result.numUpdatedRows);
    },

    async listForUser(userId) {
      const rows = await db
        .selectFrom("oauth_tokens")
        .selectAll()
        .where("user_id", "=", userId)
        .where("revoked_at", "is", null)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .execute();
      return rows.map(tokenRowToRecord);
    },

    async purge(before) {
      const result = await db
        .deleteFrom("oauth_tokens")
        .where((eb) => eb.or([eb("expires_at", "<", before), eb("revoked_at", "<", before)]))
        .executeTakeFirst();
      return toCount(result.numDeletedRows);
    },
  };
}
