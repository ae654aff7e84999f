import assert from "node:assert/strict";
import { test } from "node:test";
import { createAccountTestContexts } from "./accounts.test-support.ts";
import { issueToken } from "./tokens.ts";
import { authenticateUser, changePassword, createUser, deleteUser } from "./users.ts";

test("a created user logs in with its password, whatever the username's case", async () => {
  const { ac, close } = await createAccountTestContexts();
  try {
    const created = await createUser(ac, { username: "Alice", password: "open sesame", admin: true });
    assert.equal(created.ok, true);
    assert.equal(created.ok && created.user.username, "alice");
    assert.equal(created.ok && created.user.admin, true);
    assert.doesNotMatch(created.ok ? (created.user.passwordHash ?? "") : "", /open sesame/);
    const login = await authenticateUser(ac, { username: "ALICE", password: "open sesame", address: "10.0.0.1" });
    assert.equal(login.ok && login.user.username, "alice");
  } finally {
    await close();
  }
});

test("bad usernames, short passwords and taken names are refused", async () => {
  const { ac, close } = await createAccountTestContexts();
  try {
    const bad = await createUser(ac, { username: "no spaces", password: "long enough" });
    assert.equal(!bad.ok && bad.reason, "invalidUsername");
    const weak = await createUser(ac, { username: "bob", password: "short" });
    assert.equal(!weak.ok && weak.reason, "weakPassword");
    await createUser(ac, { username: "bob", password: "long enough" });
    const taken = await createUser(ac, { username: "BOB", password: "long enough" });
    assert.equal(!taken.ok && taken.reason, "taken");
  } finally {
    await close();
  }
});

test("a wrong password and an unknown user get the same answer", async () => {
  const { ac, close } = await createAccountTestContexts();
  try {
    await createUser(ac, { username: "alice", password: "open sesame" });
    const wrong = await authenticateUser(ac, { username: "alice", password: "open sesame!", address: "10.0.0.1" });
    const unknown = await authenticateUser(ac, { username: "mallory", password: "open sesame", address: "10.0.0.2" });
    assert.deepEqual(wrong, unknown);
    assert.equal(!wrong.ok && wrong.reason, "invalidCredentials");
  } finally {
    await close();
  }
});

test("repeated failures lock the username out for a while, even with the right password", async () => {
  const { ac, clock, close } = await createAccountTestContexts({
    config: {
      attemptLimits: {
        perAddress: { maxFailures: 100, windowMs: 60_000 },
        perUsername: { maxFailures: 3, windowMs: 60_000 },
        maxKeys: 100,
      },
    },
  });
  try {
    await createUser(ac, { username: "alice", password: "open sesame" });
    for (let i = 0; i < 3; i++) await authenticateUser(ac, { username: "alice", password: `guess ${i}`, address: `10.0.0.${i}` });
    const locked = await authenticateUser(ac, { username: "alice", password: "open sesame", address: "10.9.9.9" });
    assert.equal(!locked.ok && locked.reason, "rateLimited");
    clock.advance(60_000);
    assert.equal((await authenticateUser(ac, { username: "alice", password: "open sesame", address: "10.9.9.9" })).ok, true);
  } finally {
    await close();
  }
});

test("changing the password revokes every token and replaces the old password", async () => {
  const { ac, close } = await createAccountTestContexts();
  try {
    const created = await createUser(ac, { username: "alice", password: "open sesame" });
    assert.ok(created.ok);
    await issueToken(ac, { kind: "access", userId: created.user.id, clientId: null, scopes: ["read"], ttlMs: null });
    const changed = await changePassword(ac, { username: "alice", password: "new and better" });
    assert.equal(changed.ok && changed.revokedTokens, 1);
    assert.equal((await authenticateUser(ac, { username: "alice", password: "open sesame", address: "x" })).ok, false);
    assert.equal((await authenticateUser(ac, { username: "alice", password: "new and better", address: "x" })).ok, true);
    assert.deepEqual(await ac.accounts.tokens.listForUser(created.user.id), []);
  } finally {
    await close();
  }
});

test("deleting a user revokes its tokens and releases its actors", async () => {
  const { ac, close } = await createAccountTestContexts();
  try {
    const created = await createUser(ac, { username: "alice", password: "open sesame" });
    assert.ok(created.ok);
    await ac.accounts.users.addActor({ actorUri: "https://local.test/users/a", userId: created.user.id, createdAt: "2025-01-01T00:00:00.000Z" });
    await issueToken(ac, { kind: "access", userId: created.user.id, clientId: null, scopes: ["read"], ttlMs: null });
    const deleted = await deleteUser(ac, { username: "alice" });
    assert.equal(deleted.ok && deleted.revokedTokens, 1);
    assert.deepEqual(deleted.ok && deleted.releasedActors, ["https://local.test/users/a"]);
    assert.equal(await ac.accounts.users.ownerOf("https://local.test/users/a"), null);
    assert.equal((await deleteUser(ac, { username: "alice" })).ok, false);
  } finally {
    await close();
  }
});
