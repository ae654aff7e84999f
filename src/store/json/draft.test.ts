import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Draft } from "./draft.ts";
import { emptyTables } from "./tables.ts";

function key(keyId: string, publicKeyPem = "P") {
  return { keyId, ownerUri: "https://local.example/users/alice", publicKeyPem, privateKeyPem: null };
}

describe("draft", () => {
  test("writes stay in the draft until its result is taken", () => {
    const base = emptyTables();
    base.rows.keys.set("k1", key("k1"));
    const draft = new Draft({ base });
    draft.put("keys", key("k2"));
    draft.delete("keys", "k1");
    assert.deepEqual([...base.rows.keys.keys()], ["k1"], "the committed table is untouched");
    assert.deepEqual([...draft.rows("keys").keys()], ["k2"]);
    const result = draft.result();
    assert.deepEqual([...result.rows.keys.keys()], ["k2"]);
    assert.equal(result.rows.actors, base.rows.actors, "tables not written are shared, not copied");
  });

  test("rolling back to a savepoint undoes rows and seqs written after it, and only those", () => {
    const draft = new Draft({ base: emptyTables() });
    draft.put("keys", key("k1"));
    assert.equal(draft.takeSeq("objects"), 1);
    const savepoint = draft.savepoint();
    draft.put("keys", key("k1", "replaced"));
    draft.put("keys", key("k2"));
    draft.delete("keys", "k1");
    assert.equal(draft.takeSeq("objects"), 2);
    draft.rollbackTo(savepoint);
    assert.deepEqual([...draft.rows("keys").values()], [key("k1")]);
    assert.equal(draft.takeSeq("objects"), 2);
    assert.deepEqual(draft.changedTables().sort(), ["keys", "objects"]);
  });

  test("a draft rolled back entirely has no changes to write", () => {
    const draft = new Draft({ base: emptyTables() });
    const start = draft.savepoint();
    draft.put("keys", key("k1"));
    draft.takeSeq("follows");
    draft.rollbackTo(start);
    assert.equal(draft.hasChanges(), false);
    assert.deepEqual(draft.changedTables(), []);
    assert.equal(draft.delete("keys", "k1"), undefined);
  });
});
