/**
 * The client-to-server tables: users, the actors each manages, OAuth
 * clients, tokens, authorization codes and idempotency keys. Secrets are
 * kept only as hashes (see account-records.ts).
 */
import type { Kysely } from "kysely";
import type { SqlDialectName } from "../schema.ts";
import { timestampType } from "./portable-types.ts";

/** Creates the account tables and their indexes. */
export async function up(db: Kysely<any>, dialect: SqlDialectName): Promise<void> {
  const time = timestampType(dialect);

  await db.schema
    .createTable("users")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("username", "text", (col) => col.notNull())
    // Unique whatever the case, like local actors' usernames.
    .addColumn("username_lower", "text", (col) => col.notNull().unique())
    .addColumn("password_hash", "text")
    .addColumn("admin", "integer", (col) => col.notNull())
    .addColumn("created_at", time, (col) => col.notNull())
    .addColumn("updated_at", time, (col) => col.notNull())
    .execute();

  await db.schema
    .createTable("actor_owners")
    .addColumn("actor_uri", "text", (col) => col.primaryKey())
    .addColumn("user_id", "text", (col) => col.notNull())
    .addColumn("created_at", time, (col) => col.notNull())
    .execute();
  await db.schema.createIndex("actor_owners_user").on("actor_owners").columns(["user_id", "created_at"]).execute();

  await db.schema
    .createTable("oauth_clients")
    .addColumn("client_id", "text", (col) => col.primaryKey())
    .addColumn("client_secret_hash", "text")
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("redirect_uris", "text", (col) => col.notNull())
    .addColumn("scopes", "text", (col) => col.notNull())
    .addColumn("grant_types", "text", (col) => col.notNull())
    .addColumn("website", "text")
    .addColumn("created_at", time, (col) => col.notNull())
    .execute();

  await db.schema
    .createTable("oauth_tokens")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("token_hash", "text", (col) => col.notNull().unique())
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("user_id", "text")
    .addColumn("client_id", "text")
    .addColumn("family_id", "text")
    .addColumn("scopes", "text", (col) => col.notNull())
    .addColumn("name", "text")
    .addColumn("created_at", time, (col) => col.notNull())
    .addColumn("expires_at", time)
    .addColumn("revoked_at", time)
    .execute();
  await db.schema.createIndex("oauth_tokens_user").on("oauth_tokens").column("user_id").execute();
  await db.schema.createIndex("oauth_tokens_family").on("oauth_tokens").column("family_id").execute();

  await db.schema
    .createTable("oauth_codes")
    .addColumn("code_hash", "text", (col) => col.primaryKey())
    .addColumn("client_id", "text", (col) => col.notNull())
    .addColumn("user_id", "text", (col) => col.notNull())
    .addColumn("redirect_uri", "text", (col) => col.notNull())
    .addColumn("scopes", "text", (col) => col.notNull())
    .addColumn("code_challenge", "text")
    .addColumn("code_challenge_method", "text")
    .addColumn("family_id", "text", (col) => col.notNull())
    .addColumn("created_at", time, (col) => col.notNull())
    .addColumn("expires_at", time, (col) => col.notNull())
    .addColumn("used_at", time)
    .execute();
  await db.schema.createIndex("oauth_codes_expiry").on("oauth_codes").column("expires_at").execute();

  await db.schema
    .createTable("idempotency_keys")
    .addColumn("user_id", "text", (col) => col.notNull())
    .addColumn("key", "text", (col) => col.notNull())
    .addColumn("request_hash", "text", (col) => col.notNull())
    .addColumn("activity_uri", "text")
    .addColumn("created_at", time, (col) => col.notNull())
    .addPrimaryKeyConstraint("idempotency_keys_pk", ["user_id", "key"])
    .execute();
  await db.schema.createIndex("idempotency_keys_age").on("idempotency_keys").column("created_at").execute();
}
