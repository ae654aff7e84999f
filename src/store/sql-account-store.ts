/**
 * The {@link AccountStore} over the SQL store's database: the account tables
 * (migration 0002) live beside the federation tables and migrate with them,
 * but are reached through their own interface so that the {@link Store}
 * contract stays free of accounts.
 */
import type { Kysely } from "kysely";
import type { AccountStore } from "./account-store.ts";
import { createAuthorizationCodeRepository } from "./authorization-code-repository.ts";
import { createIdempotencyRepository } from "./idempotency-repository.ts";
import { createOAuthClientRepository } from "./oauth-client-repository.ts";
import type { Database, SqlDialectName } from "./schema.ts";
import type { Store } from "./store.ts";
import { createTokenRepository } from "./token-repository.ts";
import { createUserRepository } from "./user-repository.ts";

export interface UserTable {
  id: string;
  username: string;
  username_lower: string;
  password_hash: string | null;
  admin: number;
  created_at: string;
  updated_at: string;
}

export interface ActorOwnerTable {
  actor_uri: string;
  user_id: string;
  created_at: string;
}

export interface OAuthClientTable {
  client_id: string;
  client_secret_hash: string | null;
  name: string;
  /** JSON array of strings. */
  redirect_uris: string;
  /** JSON array of strings. */
  scopes: string;
  /** JSON array of strings. */
  grant_types: string;
  website: string | null;
  created_at: string;
}

export interface TokenTable {
  id: string;
  token_hash: string;
  kind: string;
  user_id: string | null;
  client_id: string | null;
  family_id: string | null;
  /** JSON array of strings. */
  scopes: string;
  name: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface AuthorizationCodeTable {
  code_hash: string;
  client_id: string;
  user_id: string;
  redirect_uri: string;
  /** JSON array of strings. */
  scopes: string;
  code_challenge: string | null;
  code_challenge_method: string | null;
  family_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface IdempotencyTable {
  user_id: string;
  key: string;
  request_hash: string;
  activity_uri: string | null;
  created_at: string;
}

/** The account tables as Kysely sees them. */
export interface AccountDatabase {
  users: UserTable;
  actor_owners: ActorOwnerTable;
  oauth_clients: OAuthClientTable;
  oauth_tokens: TokenTable;
  oauth_codes: AuthorizationCodeTable;
  idempotency_keys: IdempotencyTable;
}

/** What the account repositories run on: the database or an open transaction of it. */
export type AccountQueryable = Kysely<AccountDatabase>;

function bindRepositories(db: AccountQueryable): Omit<AccountStore, "transaction"> {
  return {
    users: createUserRepository(db),
    clients: createOAuthClientRepository(db),
    tokens: createTokenRepository(db),
    codes: createAuthorizationCodeRepository(db),
    idempotency: createIdempotencyRepository(db),
  };
}

/** Parameters of {@link createSqlAccountStore}. */
export interface SqlAccountStoreParams {
  /** The SQL store's database; its migrations created the account tables. */
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialectName;
}

/** The account store over a SQL store's database. */
export function createSqlAccountStore(params: SqlAccountStoreParams): AccountStore {
  // The account tables are not part of `Database`, which describes the federation store alone.
  const db = params.db as unknown as AccountQueryable;
  const store: AccountStore = {
    ...bindRepositories(db),
    transaction: (fn) =>
      db.transaction().execute((trx) => {
        const tx: AccountStore = { ...bindRepositories(trx), transaction: (inner) => inner(tx) };
        return fn(tx);
      }),
  };
  return store;
}

const accountStores = new WeakMap<Store, AccountStore>();

/**
 * The account store of a store opened by `createSqlStore`, or null for any
 * other {@link Store} (a host application's own), which has no account tables.
 * One account store per store, so callers may ask again freely.
 */
export function sqlAccountStoreOf(store: Store): AccountStore | null {
  const known = accountStores.get(store);
  if (known !== undefined) return known;
  const candidate = store as Partial<{ db: Kysely<Database>; dialect: SqlDialectName }>;
  if (candidate.db === undefined || (candidate.dialect !== "sqlite" && candidate.dialect !== "postgres")) return null;
  const accounts = createSqlAccountStore({ db: candidate.db, dialect: candidate.dialect });
  accountStores.set(store, accounts);
  return accounts;
}
