/**
 * The storage contract of the client-to-server side, apart from {@link Store}
 * so that a host application's own store need not implement accounts when it
 * uses Outpost only to federate. The SQL store provides one over the same
 * database (see sql-account-store.ts).
 */
import type {
  AuthorizationCodeRecord,
  ConsumeCodeResult,
  IdempotencyRecord,
  OAuthClientRecord,
  ReserveKeyResult,
  TokenRecord,
  UserRecord,
} from "./account-records.ts";

export interface UserRepository {
  /** Stores a new user; false (and nothing stored) when the username is taken, whatever its case. */
  create(user: UserRecord): Promise<boolean>;
  get(id: string): Promise<UserRecord | null>;
  /** By username, case-insensitively. */
  getByUsername(username: string): Promise<UserRecord | null>;
  /** Every user, oldest first. */
  list(): Promise<UserRecord[]>;
  count(): Promise<number>;
  setPasswordHash(id: string, params: { passwordHash: string | null; updatedAt: string }): Promise<boolean>;
  setAdmin(id: string, params: { admin: boolean; updatedAt: string }): Promise<boolean>;
  /** Removes the user and the record of the actors it managed (the actors themselves stay). */
  remove(id: string): Promise<boolean>;
  /** Records that a user manages an actor; an actor has one manager, so this replaces any other. */
  addActor(params: { actorUri: string; userId: string; createdAt: string }): Promise<void>;
  /** The id of the user managing an actor, or null. */
  ownerOf(actorUri: string): Promise<string | null>;
  /** URIs of the actors a user manages, oldest first. */
  actorsOf(userId: string): Promise<string[]>;
  removeActor(actorUri: string): Promise<void>;
}

export interface OAuthClientRepository {
  create(client: OAuthClientRecord): Promise<void>;
  get(clientId: string): Promise<OAuthClientRecord | null>;
  remove(clientId: string): Promise<boolean>;
}

export interface TokenRepository {
  add(token: TokenRecord): Promise<void>;
  getByHash(tokenHash: string): Promise<TokenRecord | null>;
  get(id: string): Promise<TokenRecord | null>;
  /** Revokes one token; false when it was already revoked (or is unknown), which makes rotation single-use. */
  revoke(id: string, revokedAt: string): Promise<boolean>;
  /** Revokes every live token of a family; returns how many. */
  revokeFamily(familyId: string, revokedAt: string): Promise<number>;
  /** Revokes every live token of a user; returns how many. */
  revokeForUser(userId: string, revokedAt: string): Promise<number>;
  /** Live (unrevoked) tokens of a user, newest first. */
  listForUser(userId: string): Promise<TokenRecord[]>;
  /** Deletes tokens that expired or were revoked before a date. */
  purge(before: string): Promise<number>;
}

export interface AuthorizationCodeRepository {
  add(code: AuthorizationCodeRecord): Promise<void>;
  /** Marks a code used, once: a second call reports the replay. */
  consume(codeHash: string, usedAt: string): Promise<ConsumeCodeResult>;
  /** Deletes codes that expired before a date. */
  purge(before: string): Promise<number>;
}

export interface IdempotencyRepository {
  /**
   * Claims a key for a request. A record older than `replaceBefore` has
   * lapsed and is replaced; a live one is returned for the caller to judge.
   */
  reserve(record: IdempotencyRecord, params: { replaceBefore: string }): Promise<ReserveKeyResult>;
  /** Records what the request created. */
  complete(params: { userId: string; key: string; activityUri: string }): Promise<void>;
  /** Forgets a reservation whose request failed, so it may be tried again. */
  release(params: { userId: string; key: string }): Promise<void>;
  purge(before: string): Promise<number>;
}

/** Everything the client-to-server side keeps. */
export interface AccountStore {
  readonly users: UserRepository;
  readonly clients: OAuthClientRepository;
  readonly tokens: TokenRepository;
  readonly codes: AuthorizationCodeRepository;
  readonly idempotency: IdempotencyRepository;
  /**
   * Runs `fn` in one transaction of the account store. It is separate from
   * {@link Store.transaction}: do not call one store from inside the other's
   * transaction.
   */
  transaction<T>(fn: (tx: AccountStore) => Promise<T>): Promise<T>;
}
