import assert from "node:assert/strict";
import { test } from "node:test";
import { createAccountTestContexts } from "./accounts.test-support.ts";
import { createPersonalAccessToken, findLiveToken, issueToken } from "./tokens.ts";
import { createUser } from "./users.ts";

test("a personal access token is shown once and found by its value only", async () => {
  const { ac, close } = await createAccountTestContexts();
  try {
    await createUser(ac, { username: "alice", password: "open sesame" });
    const made = await createPersonalAccessToken(ac, { username: "alice", scopes: "read,write:outbox", expiresInMs: 3_600_000 });
    assert.ok(made.ok);
    assert.match(made.token, /^opat_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(made.record.tokenHash, made.token);
    assert.deepEqual(made.record.scopes, ["read", "write:outbox"]);
    const found = await findLiveToken(ac, { token: made.token, kind: "access" });
    assert.equal(found.ok && found.user?.username, "alice");
    assert.equal((await findLiveToken(ac, { token: `${made.token}x`, kind: "access" })).ok, false);
    const asRefresh = await findLiveToken(ac, { token: made.token, kind: "refresh" });
    assert.equal(!asRefresh.ok && asRefresh.reason, "unknownToken");
  } finally {
    await close();
  }
});

test("tokens expire and can be revoked", async () => {
  const { ac, clock, close } = await createAccountTestContexts();
  try {
    const created = await createUser(ac, { username: "alice", password: "open sesame" });
    assert.ok(created.ok);
    const short = await issueToken(ac, { kind: "access", userId: created.user.id, clientId: null, scopes: ["read"], ttlMs: 1000 });
    const other = await issueToken(ac, { kind: "access", userId: created.user.id, clientId: null, scopes: ["read"], ttlMs: null });
    clock.advance(1000);
    const expired = await findLiveToken(ac, { token: short.token, kind: "access" });
    assert.equal(!expired.ok && expired.reason, "expiredToken");
    await ac.accounts.tokens.revoke(other.record.id, ac.now().toISOString());
    const revoked = await findLiveToken(ac, { token: other.token, kind: "access" });
    assert.equal(!revoked.ok && revoked.reason, "revokedToken");
  } finally {
    await close();
  }
});

test("personal tokens need a known user and known scopes; admin scopes need an admin", async () => {
  const { ac, close } = await createAccountTestContexts();
  try {
    await createUser(ac, { username: "alice", password: "open sesame" });
    await createUser(ac, { username: "root", password: "open sesame", admin: true });
    assert.equal((await createPersonalAccessToken(ac, { username: "nobody", scopes: "read" })).ok, false);
    const unknown = await createPersonalAccessToken(ac, { username: "alice", scopes: "read,everything" });
    assert.equal(!unknown.ok && unknown.reason, "invalidScope");
    assert.equal((await createPersonalAccessToken(ac, { username: "alice", scopes: "admin:read" })).ok, false);
    assert.equal((await createPersonalAccessToken(ac, { username: "root", scopes: "admin:read" })).ok, true);
  } finally {
    await close();
  }
});
