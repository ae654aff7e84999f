/** Registered applications in the `oauth_clients` table. */
import type { OAuthClientRecord } from "./account-records.ts";
import type { OAuthClientRepository } from "./account-store.ts";
import type { AccountQueryable, OAuthClientTable } from "./sql-account-store.ts";
import { fromJson, toCount, toJson } from "./sql-values.ts";

/** An `oauth_clients` row as a record. */
export function oauthClientRowToRecord(row: OAuthClientTable): OAuthClientRecord {
  return {
    clientId: row.client_id,
    clientSecretHash: row.client_secret_hash,
    name: row.name,
    redirectUris: fromJson<string[]>(row.redirect_uris),
    scopes: fromJson<string[]>(row.scopes),
    grantTypes: fromJson<string[]>(row.grant_types),
    website: row.website,
    createdAt: row.created_at,
  };
}

/** The OAuth client repository over a database or transaction. */
export function createOAuthClientRepository(db: AccountQueryable): OAuthClientRepository {
  return {
    async create(client) {
      await db
        .insertInto("oauth_clients")
        .values({
          client_id: client.clientId,
          client_secret_hash: client.clientSecretHash,
          name: client.name,
          redirect_uris: toJson(client.redirectUris),
          scopes: toJson(client.scopes),
          grant_types: toJson(client.grantTypes),
          website: client.website,
          created_at: client.createdAt,
        })
        .execute();
    },

    async get(clientId) {
      const row = await db.selectFrom("oauth_clients").selectAll().where("client_id", "=", clientId).executeTakeFirst();
      return row === undefined ? null : oauthClientRowToRecord(row);
    },

    async remove(clientId) {
      const result = await db.deleteFrom("oauth_clients").where("client_id", "=", clientId).executeTakeFirst();
      return toCount(result.numDeletedRows) > 0;
    },
  };
}
