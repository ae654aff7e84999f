/** One-time authorization codes in the `oauth_codes` table, known by their hashes. */
import type { AuthorizationCodeRecord } from "./account-records.ts";
import type { AuthorizationCodeRepository } from "./account-store.ts";
import type { AccountQueryable, AuthorizationCodeTable } from "./sql-account-store.ts";
import { fromJson, toCount, toJson } from "./sql-values.ts";

/** An `oauth_codes` row as a record. */
export function authorizationCodeRowToRecord(row: AuthorizationCodeTable): AuthorizationCodeRecord {
  return {
    codeHash: row.code_hash,
    clientId: row.client_id,
    userId: row.user_id,
    redirectUri: row.redirect_uri,
    scopes: fromJson<string[]>(row.scopes),
    codeChallenge: row.code_challenge,
    codeChallengeMethod: row.code_challenge_method === "S256" ? "S256" : null,
    familyId: row.family_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
  };
}

/** The authorization code repository over a database or transaction. */
export function createAuthorizationCodeRepository(db: AccountQueryable): AuthorizationCodeRepository {
  const read = async (codeHash: string) => {
    const row = await db.selectFrom("oauth_codes").selectAll().where("code_hash", "=", codeHash).executeTakeFirst();
    return row === undefined ? null : authorizationCodeRowToRecord(row);
  };
  return {
    async add(code) {
      await db
        .insertInto("oauth_codes")
        .values({
          code_hash: code.codeHash,
          client_id: code.clientId,
          user_id: code.userId,
          redirect_uri: code.redirectUri,
          scopes: toJson(code.scopes),
          code_challenge: code.codeChallenge,
          code_challenge_method: code.codeChallengeMethod,
          family_id: code.familyId,
          created_at: code.createdAt,
          expires_at: code.expiresAt,
          used_at: code.usedAt,
        })
        .execute();
    },

    async consume(codeHash, usedAt) {
      // The conditional update is the claim: of two concurrent exchanges only one changes the row.
      const result = await db
        .updateTable("oauth_codes")
        .set({ used_at: usedAt })
        .where("code_hash", "=", codeHash)
        .where("used_at", "is", null)
        .executeTakeFirst();
      const code = await read(codeHash);
      if (code === null) return { kind: "missing" };
      return toCount(result.numUpdatedRows) > 0 ? { kind: "consumed", code } : { kind: "reused", code };
    },

    async purge(before) {
      const result = await db.deleteFrom("oauth_codes").where("expires_at", "<", before).executeTakeFirst();
      return toCount(result.numDeletedRows);
    },
  };
}
