import assert from "node:assert/strict";
import { test } from "node:test";
import { checkScopes, checkScopesWithin, parseScopes, scopeCovers } from "./scopes.ts";

test("scopes parse from spaces or commas, deduplicated", () => {
  assert.deepEqual(parseScopes({ text: "read write,follow  read" }), { ok: true, scopes: ["read", "write", "follow"] });
  assert.deepEqual(parseScopes({ text: "read:inbox write:outbox" }), { ok: true, scopes: ["read:inbox", "write:outbox"] });
});

test("unknown and empty scope lists are refused", () => {
  const unknown = parseScopes({ text: "read delete:everything" });
  assert.equal(!unknown.ok && unknown.reason, "invalidScope");
  assert.match(!unknown.ok ? unknown.message : "", /delete:everything/);
  assert.equal(parseScopes({ text: " , " }).ok, false);
});

test("broad scopes imply the fine ones, not the other way round", () => {
  assert.equal(scopeCovers({ granted: ["read"], scope: "read:inbox" }), true);
  assert.equal(scopeCovers({ granted: ["write"], scope: "write:outbox" }), true);
  assert.equal(scopeCovers({ granted: ["follow"], scope: "write:follows" }), true);
  assert.equal(scopeCovers({ granted: ["read:inbox"], scope: "read" }), false);
  assert.equal(scopeCovers({ granted: ["read"], scope: "write:outbox" }), false);
  assert.equal(scopeCovers({ granted: ["write"], scope: "admin:write" }), false);
});

test("checkScopes names what is missing", () => {
  assert.deepEqual(checkScopes({ granted: ["read", "write:outbox"], required: ["read:inbox", "write:outbox"] }), { ok: true });
  const refused = checkScopes({ granted: ["read"], required: ["write:outbox", "read:outbox"] });
  assert.equal(refused.ok, false);
  assert.deepEqual(!refused.ok && refused.missing, ["write:outbox"]);
});

test("requested scopes must stay within a client's, and admin scopes need an admin", () => {
  assert.equal(checkScopesWithin({ requested: ["read:inbox"], allowed: ["read", "write"], admin: false }).ok, true);
  assert.equal(checkScopesWithin({ requested: ["read"], allowed: [...["read:accounts", "read:actors", "read:blocks", "read:favourites", "read:follows", "read:inbox", "read:notifications", "read:outbox", "read:statuses"]], admin: false }).ok, true);
  assert.equal(checkScopesWithin({ requested: ["write"], allowed: ["read"], admin: false }).ok, false);
  assert.equal(checkScopesWithin({ requested: ["admin:read"], allowed: ["read", "admin:read"], admin: false }).ok, false);
  assert.equal(checkScopesWithin({ requested: ["admin:read"], allowed: ["read", "admin:read"], admin: true }).ok, true);
});
