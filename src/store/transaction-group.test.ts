import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, describe, test } from "node:test";
import { createSqlStore } from "./sql-store.ts";

const tempRoot = mkdtempSync(join(tmpdir(), "outpost-group-"));
after(() => rmSync(tempRoot, { recursive: true, force: true }));

let count = 0;
async function openStore() {
  const dataDir = join(tempRoot, `data-${count++}`);
  const store = await createSqlStore({ dataDir });
  // A second connection to the same file sees only what was committed.
  const observer = new DatabaseSync(join(dataDir, "outpost.sqlite"), { readOnly: true });
  const committedKeys = () =>
    (observer.prepare("select key_id from keys order by key_id").all() as { key_id: string }[]).map((row) => row.key_id);
  return {
    store,
    committedKeys,
    close: async () => {
      observer.close();
      await store.close();
    },
  };
}

const key = (name: string) => ({ keyId: `https://example.com/${name}#key`, ownerUri: `https://example.com/${name}`, publicKeyPem: "PUB", privateKeyPem: null });

describe("SQLite transactions running at once", () => {
  test("each caller gets its own result, and only after its writes are committed", async () => {
    const { store, committedKeys, close } = await openStore();
    try {
      const seenAtResolution: string[][] = [];
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          store
            .transaction(async (tx) => {
              await tx.keys.put(key(`a${String(n).padStart(2, "0")}`));
              return n * 10;
            })
            .then((value) => {
              seenAtResolution.push(committedKeys());
              return value;
            }),
        ),
      );
      assert.deepEqual(results, Array.from({ length: 20 }, (_, n) => n * 10));
      for (const [index, seen] of seenAtResolution.entries()) {
        assert.ok(seen.length >= index + 1, `a caller was answered before its write was committed (saw ${seen.length} keys)`);
      }
      assert.equal(committedKeys().length, 20);
    } finally {
      await close();
    }
  });

  test("a callback that throws loses its own writes and gets its error; the others in its group commit", async () => {
    const { store, committedKeys, close } = await openStore();
    try {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, n) =>
          store.transaction(async (tx) => {
            await tx.keys.put(key(`b${n}`));
            // Let the other callbacks queue up behind this one, so they share its group.
            await new Promise((resolve) => setImmediate(resolve));
            if (n === 4 || n === 7) throw new Error(`callback ${n} failed`);
            return n;
          }),
        ),
      );
      assert.deepEqual(
        outcomes.map((outcome) => (outcome.status === "fulfilled" ? outcome.value : (outcome.reason as Error).message)),
        [0, 1, 2, 3, "callback 4 failed", 5, 6, "callback 7 failed", 8, 9],
      );
      assert.deepEqual(
        committedKeys(),
        [0, 1, 2, 3, 5, 6, 8, 9].map((n) => key(`b${n}`).keyId),
      );
    } finally {
      await close();
    }
  });

  test("a lone callback that throws leaves nothing behind, and later transactions still run", async () => {
    const { store, committedKeys, close } = await openStore();
    try {
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.keys.put(key("lonely"));
          throw new Error("no");
        }),
        /no/,
      );
      assert.deepEqual(committedKeys(), []);
      await store.transaction((tx) => tx.keys.put(key("after")));
      assert.deepEqual(committedKeys(), [key("after").keyId]);
    } finally {
      await close();
    }
  });

  test("reads inside a callback see the writes of callbacks before it in the same group", async () => {
    const { store, close } = await openStore();
    try {
      const [, found] = await Promise.all([
        store.transaction((tx) => tx.keys.put(key("first"))),
        store.transaction(async (tx) => (await tx.keys.get(key("first").keyId))?.keyId ?? null),
      ]);
      assert.equal(found, key("first").keyId);
    } finally {
      await close();
    }
  });
});
