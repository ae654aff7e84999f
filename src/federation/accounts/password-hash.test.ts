import assert from "node:assert/strict";
import { test } from "node:test";
import { hashPassword, verifyPassword } from "./password-hash.ts";

test("a hash verifies its own password and no other", async () => {
  const hash = await hashPassword({ password: "correct horse battery staple" });
  assert.match(hash, /^\$scrypt\$v=1\$ln=15,r=8,p=1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
  assert.deepEqual(await verifyPassword({ password: "correct horse battery staple", hash }), { ok: true, needsRehash: false });
  const wrong = await verifyPassword({ password: "correct horse battery stapler", hash });
  assert.equal(wrong.ok, false);
  assert.equal(!wrong.ok && wrong.reason, "mismatch");
});

test("the same password hashes differently each time (per-password salt)", async () => {
  const first = await hashPassword({ password: "hunter22hunter22" });
  const second = await hashPassword({ password: "hunter22hunter22" });
  assert.notEqual(first, second);
  assert.equal((await verifyPassword({ password: "hunter22hunter22", hash: second })).ok, true);
});

test("composed and decomposed accents are the same password", async () => {
  const hash = await hashPassword({ password: "caf\u00e9-au-lait" });
  assert.equal((await verifyPassword({ password: "cafe\u0301-au-lait", hash })).ok, true);
});

test("a hash made at a lower cost still verifies and asks to be redone", async () => {
  const hash = await hashPassword({ password: "old password", cost: { logN: 10, r: 8, p: 1 } });
  assert.deepEqual(await verifyPassword({ password: "old password", hash }), { ok: true, needsRehash: true });
});

test("malformed and absurd-cost hashes are refused without work", async () => {
  for (const hash of ["", "plain", "$2b$10$abcdefghijklmnopqrstuv", "$scrypt$v=1$ln=30,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]) {
    const result = await verifyPassword({ password: "x", hash });
    assert.equal(!result.ok && result.reason, "malformedHash", hash);
  }
});
