/**
 * The behaviour every {@link AccountStore} must have, as one test suite that
 * uses the interface alone:
 *
 *     runAccountStoreContract("my accounts", () => openMyAccounts());
 *
 * `open` must give a fresh, empty account store each time, with a `close`
 * that each test calls when done.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type {
  AuthorizationCodeRecord,
  IdempotencyRecord,
  OAuthClientRecord,
  TokenRecord,
  UserRecord,
} from "./account-records.ts";
import type { AccountStore } from "./account-store.ts";
import { at } from "./contract/fixtures.ts";

/** A fresh account store and the way to close it. */
export interface OpenedAccountStore {
  readonly accounts: AccountStore;
  close(): Promise<void>;
}

/** Opens a fresh, empty account store. */
export type OpenAccountStore = () => Promise<OpenedAccountStore>;

async function withAccounts(open: OpenAccountStore, fn: (accounts: AccountStore) => Promise<void>): Promise<void> {
  const opened = await open();
  try {
    await fn(opened.accounts);
  } finally {
    await opened.close();
  }
}

function user(username: string, overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: `user-${username}`,
    username,
    passwordHash: `$scrypt$v=1$hash-of-${username}`,
    admin: false,
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

function token(id: string, overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    id,
    tokenHash: `hash-${id}`,
    kind: "access",
    userId: "user-alice",
    clientId: "client-1",
    familyId: "family-1",
    scopes: ["read", "write:outbox"],
    name: null,
    createdAt: at(1),
    expiresAt: at(100),
    revokedAt: null,
    ...overrides,
  };
}

function code(overrides: Partial<AuthorizationCodeRecord> = {}): AuthorizationCodeRecord {
  return {
    codeHash: "code-hash",
    clientId: "client-1",
    userId: "user-alice",
    redirectUri: "https://app.example/callback",
    scopes: ["read"],
    codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    codeChallengeMethod: "S256",
    familyId: "family-1",
    createdAt: at(0),
    expiresAt: at(10),
    usedAt: null,
    ...overrides,
  };
}

/** Registers the whole account store contract as a `describe` block named `name`. */
export function runAccountStoreContract(name: string, open: OpenAccountStore): void {
  describe(name, () => {
    test("users round-trip and usernames are unique whatever their case", () =>
      withAccounts(open, async (accounts) => {
        const alice = user("alice", { admin: true });
        assert.equal(await accounts.users.create(alice), true);
        assert.deepEqual(await accounts.users.get(alice.id), alice);
        assert.deepEqual(await accounts.users.getByUsername("ALICE"), alice);
        assert.equal(await accounts.users.create(user("Alice", { id: "other" })), false);
        assert.equal(await accounts.users.get("other"), null);
        await accounts.users.create(user("bob", { createdAt: at(5), passwordHash: null }));
        assert.deepEqual((await accounts.users.list()).map((u) => u.username), ["alice", "bob"]);
        assert.equal(await accounts.users.count(), 2);
      }));

    test("password and admin changes, and removal", () =>
      withAccounts(open, async (accounts) => {
        const alice = user("alice");
        await accounts.users.create(alice);
        assert.equal(await accounts.users.setPasswordHash(alice.id, { passwordHash: "new", updatedAt: at(3) }), true);
        assert.equal(await accounts.users.setAdmin(alice.id, { admin: true, updatedAt: at(4) }), true);
        assert.deepEqual(await accounts.users.get(alice.id), { ...alice, passwordHash: "new", admin: true, updatedAt: at(4) });
        assert.equal(await accounts.users.setAdmin("nobody", { admin: true, updatedAt: at(4) }), false);
        assert.equal(await accounts.users.remove(alice.id), true);
        assert.equal(await accounts.users.remove(alice.id), false);
        assert.equal(await accounts.users.getByUsername("alice"), null);
      }));

    test("each actor has one manager; removing the user forgets its actors", () =>
      withAccounts(open, async (accounts) => {
        await accounts.users.create(user("alice"));
        await accounts.users.create(user("bob"));
        await accounts.users.addActor({ actorUri: "https://l.example/users/a2", userId: "user-alice", createdAt: at(2) });
        await accounts.users.addActor({ actorUri: "https://l.example/users/a1", userId: "user-alice", createdAt: at(1) });
        await accounts.users.addActor({ actorUri: "https://l.example/users/b", userId: "user-alice", createdAt: at(3) });
        await accounts.users.addActor({ actorUri: "https://l.example/users/b", userId: "user-bob", createdAt: at(4) });
        assert.deepEqual(await accounts.users.actorsOf("user-alice"), ["https://l.example/users/a1", "https://l.example/users/a2"]);
        assert.equal(await accounts.users.ownerOf("https://l.example/users/b"), "user-bob");
        await accounts.users.removeActor("https://l.example/users/a2");
        assert.equal(await accounts.users.ownerOf("https://l.example/users/a2"), null);
        await accounts.users.remove("user-alice");
        assert.equal(await accounts.users.ownerOf("https://l.example/users/a1"), null);
        assert.deepEqual(await accounts.users.actorsOf("user-bob"), ["https://l.example/users/b"]);
      }));

    test("OAuth clients round-trip", () =>
      withAccounts(open, async (accounts) => {
        const client: OAuthClientRecord = {
          clientId: "client-1",
          clientSecretHash: null,
          name: "Test “app” ✨",
          redirectUris: ["https://app.example/callback", "app.example:/cb"],
          scopes: ["read", "write"],
          grantTypes: ["authorization_code", "refresh_token"],
          website: "https://app.example",
          createdAt: at(0),
        };
        await accounts.clients.create(client);
        assert.deepEqual(await accounts.clients.get("client-1"), client);
        assert.equal(await accounts.clients.get("client-2"), null);
        assert.equal(await accounts.clients.remove("client-1"), true);
        assert.equal(await accounts.clients.get("client-1"), null);
      }));

    test("tokens: lookup by hash, single revocation, families and users", () =>
      withAccounts(open, async (accounts) => {
        await accounts.tokens.add(token("t1"));
        await accounts.tokens.add(token("t2", { kind: "refresh", expiresAt: null }));
        await accounts.tokens.add(token("t3", { familyId: "family-2", createdAt: at(2) }));
        await accounts.tokens.add(token("t4", { userId: "user-bob", familyId: null, clientId: null, name: "cli" }));
        assert.deepEqual(await accounts.tokens.getByHash("hash-t2"), token("t2", { kind: "refresh", expiresAt: null }));
        assert.deepEqual(await accounts.tokens.get("t4"), token("t4", { userId: "user-bob", familyId: null, clientId: null, name: "cli" }));
        assert.equal(await accounts.tokens.revoke("t1", at(5)), true);
        assert.equal(await accounts.tokens.revoke("t1", at(6)), false, "a second revocation is refused");
        assert.equal((await accounts.tokens.get("t1"))?.revokedAt, at(5));
        assert.equal(await accounts.tokens.revokeFamily("family-1", at(7)), 1, "only the live member");
        assert.deepEqual((await accounts.tokens.listForUser("user-alice")).map((t) => t.id), ["t3"]);
        assert.equal(await accounts.tokens.revokeForUser("user-alice", at(8)), 1);
        assert.deepEqual(await accounts.tokens.listForUser("user-alice"), []);
        assert.deepEqual((await accounts.tokens.listForUser("user-bob")).map((t) => t.id), ["t4"]);
      }));

    test("tokens: purge drops the expired and revoked, keeps the live", () =>
      withAccounts(open, async (accounts) => {
        await accounts.tokens.add(token("old", { expiresAt: at(1) }));
        await accounts.tokens.add(token("revoked", { expiresAt: null, revokedAt: at(2) }));
        await accounts.tokens.add(token("live", { expiresAt: at(100) }));
        await accounts.tokens.add(token("forever", { expiresAt: null }));
        assert.equal(await accounts.tokens.purge(at(50)), 2);
        assert.equal(await accounts.tokens.get("old"), null);
        assert.notEqual(await accounts.tokens.get("live"), null);
        assert.notEqual(await accounts.tokens.get("forever"), null);
      }));

    test("authorization codes are consumed once; a replay is reported", () =>
      withAccounts(open, async (accounts) => {
        await accounts.codes.add(code());
        assert.deepEqual(await accounts.codes.consume("code-hash", at(1)), { kind: "consumed", code: code({ usedAt: at(1) }) });
        assert.deepEqual(await accounts.codes.consume("code-hash", at(2)), { kind: "reused", code: code({ usedAt: at(1) }) });
        assert.deepEqual(await accounts.codes.consume("unknown", at(2)), { kind: "missing" });
        await accounts.codes.add(code({ codeHash: "plain", codeChallenge: null, codeChallengeMethod: null, expiresAt: at(100) }));
        assert.equal(await accounts.codes.purge(at(50)), 1);
        assert.equal((await accounts.codes.consume("plain", at(51))).kind, "consumed");
      }));

    test("idempotency keys: reserve, complete, release and lapse", () =>
      withAccounts(open, async (accounts) => {
        const record: IdempotencyRecord = { userId: "u", key: "k", requestHash: "h", activityUri: null, createdAt: at(10) };
        assert.deepEqual(await accounts.idempotency.reserve(record, { replaceBefore: at(0) }), { kind: "reserved" });
        assert.deepEqual(await accounts.idempotency.reserve({ ...record, requestHash: "other" }, { replaceBefore: at(0) }), {
          kind: "existing",
          record,
        });
        await accounts.idempotency.complete({ userId: "u", key: "k", activityUri: "https://l.example/a/1" });
        // A completed key is not released by a failing retry.
        await accounts.idempotency.release({ userId: "u", key: "k" });
        assert.deepEqual(await accounts.idempotency.reserve(record, { replaceBefore: at(0) }), {
          kind: "existing",
          record: { ...record, activityUri: "https://l.example/a/1" },
        });
        // Another user's key of the same name is another key.
        assert.deepEqual(await accounts.idempotency.reserve({ ...record, userId: "v" }, { replaceBefore: at(0) }), { kind: "reserved" });
        await accounts.idempotency.release({ userId: "v", key: "k" });
        assert.deepEqual(await accounts.idempotency.reserve({ ...record, userId: "v", requestHash: "x" }, { replaceBefore: at(0) }), {
          kind: "reserved",
        });
        // Once lapsed, the key is free again.
        const later = { ...record, requestHash: "new", createdAt: at(2000) };
        assert.deepEqual(await accounts.idempotency.reserve(later, { replaceBefore: at(11) }), { kind: "reserved" });
        assert.equal(await accounts.idempotency.purge(at(3000)), 2);
      }));

    test("a transaction commits together or not at all", () =>
      withAccounts(open, async (accounts) => {
        await assert.rejects(
          accounts.transaction(async (tx) => {
            await tx.users.create(user("alice"));
            await tx.tokens.add(token("t1"));
            throw new Error("roll back");
          }),
          /roll back/,
        );
        assert.equal(await accounts.users.getByUsername("alice"), null);
        assert.equal(await accounts.tokens.get("t1"), null);
        await accounts.transaction(async (tx) => {
          await tx.users.create(user("alice"));
          await tx.transaction((inner) => inner.tokens.add(token("t1")));
        });
        assert.notEqual(await accounts.tokens.get("t1"), null);
      }));
  });
}
