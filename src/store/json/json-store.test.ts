import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { at, follow, localActor, localUri, note, remoteActor, remoteUri } from "../contract/fixtures.ts";
import { runStoreContract } from "../store-contract.ts";
import { nodeFileSystem, type JsonFileSystem } from "./atomic-file.ts";
import { createJsonStore } from "./json-store.ts";
import { LOCK_FILE } from "./lock-file.ts";
import { CURRENT_SCHEMA_VERSION, SCHEMA_VERSION_FILE, VERSION_1_FILE } from "./schema-version.ts";

const tempRoot = mkdtempSync(join(tmpdir(), "outpost-json-store-"));
after(() => rmSync(tempRoot, { recursive: true, force: true }));

let dirCount = 0;
function freshDir(): string {
  return join(tempRoot, `store-${dirCount++}`);
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** Every file of a directory with its content, to compare before and after. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) files[name] = readFileSync(join(dir, name), "utf8");
  return files;
}

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  assert.equal(child.status, 0);
  return child.pid!;
}

runStoreContract("JSON store", () => createJsonStore({ dir: freshDir() }));

describe("JSON store files", () => {
  test("data survives closing and reopening", async () => {
    const dir = freshDir();
    const alice = localUri("alice");
    const bob = remoteUri("bob");
    const first = await createJsonStore({ dir });
    await first.actors.put(localActor("alice"));
    await first.actors.put(remoteActor("bob"));
    await first.follows.put(follow(bob, alice));
    await first.objects.put(note(`${alice}/notes/1`, alice));
    await first.objects.put(note(`${alice}/notes/2`, alice));
    await first.jobs.enqueue([{ queue: "deliver", payload: { n: 1 }, dedupeKey: "once", runAt: at(0) }]);
    await first.close();

    const second = await createJsonStore({ dir });
    try {
      assert.deepEqual(await second.actors.get(alice), localActor("alice"));
      assert.deepEqual(await second.follows.get(bob, alice), follow(bob, alice));
      const page = await second.objects.listByAuthor(alice, { visibilities: ["public"] }, { limit: 10 });
      assert.deepEqual(page.items.map((object) => object.uri), [`${alice}/notes/2`, `${alice}/notes/1`]);
      // The dedupe key and the seq counter come back too.
      assert.equal(await second.jobs.enqueue([{ queue: "deliver", payload: 2, dedupeKey: "once" }]), 0);
      await second.objects.put(note(`${alice}/notes/3`, alice));
      const newest = await second.objects.listByAuthor(alice, { visibilities: ["public"] }, { limit: 1 });
      assert.deepEqual(newest.items.map((object) => object.uri), [`${alice}/notes/3`]);
    } finally {
      await second.close();
    }
  });

  test("tables are readable JSON files, one per table, beside the schema version", async () => {
    const dir = freshDir();
    const store = await createJsonStore({ dir });
    await store.actors.put(localActor("alice"));
    await store.objects.put(note(`${localUri("alice")}/notes/1`, localUri("alice")));
    await store.close();
    assert.deepEqual(readJson(join(dir, SCHEMA_VERSION_FILE)), { version: CURRENT_SCHEMA_VERSION });
    const actors = readJson(join(dir, "actors.json")) as { table: string; rows: { uri: string }[] };
    assert.equal(actors.table, "actors");
    assert.deepEqual(actors.rows.map((row) => row.uri), [localUri("alice")]);
    const objects = readJson(join(dir, "objects.json")) as { nextSeq: number; rows: { seq: number }[] };
    assert.deepEqual(objects.rows.map((row) => row.seq), [1]);
    assert.equal(objects.nextSeq, 2);
    assert.match(readFileSync(join(dir, "actors.json"), "utf8"), /\n {2}"rows": \[\n/, "indented for people to read");
    assert.equal(existsSync(join(dir, LOCK_FILE)), false, "closing releases the lock");
  });

  test("a version 1 directory (one outpost.json) is migrated to one file per table", async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    const alice = localActor("alice");
    const old = {
      tables: {
        actors: { nextSeq: 1, rows: [alice] },
        objects: { nextSeq: 8, rows: [{ ...note(`${alice.uri}/notes/1`, alice.uri), seq: 7 }] },
      },
    };
    writeFileSync(join(dir, VERSION_1_FILE), JSON.stringify(old));
    writeFileSync(join(dir, SCHEMA_VERSION_FILE), JSON.stringify({ version: 1 }));

    const store = await createJsonStore({ dir });
    try {
      assert.deepEqual(await store.actors.get(alice.uri), alice);
      assert.deepEqual(await store.objects.get(`${alice.uri}/notes/1`), note(`${alice.uri}/notes/1`, alice.uri));
      await store.objects.put(note(`${alice.uri}/notes/2`, alice.uri));
    } finally {
      await store.close();
    }
    assert.deepEqual(readJson(join(dir, SCHEMA_VERSION_FILE)), { version: CURRENT_SCHEMA_VERSION });
    assert.equal(existsSync(join(dir, VERSION_1_FILE)), false);
    const objects = readJson(join(dir, "objects.json")) as { rows: { uri: string; seq: number }[] };
    // The seq counter carried over: the new object comes after the old one.
    assert.deepEqual(objects.rows.map((row) => [row.uri, row.seq]), [[`${alice.uri}/notes/1`, 7], [`${alice.uri}/notes/2`, 8]]);
    assert.deepEqual((readJson(join(dir, "follows.json")) as { rows: unknown[] }).rows, []);
  });

  test("a version 2 directory opens with its data and gains the interaction tables", async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    const alice = localActor("alice");
    writeFileSync(join(dir, "actors.json"), JSON.stringify({ table: "actors", nextSeq: 1, rows: [alice] }));
    writeFileSync(join(dir, SCHEMA_VERSION_FILE), JSON.stringify({ version: 2 }));
    const like = {
      uri: `${remoteUri("bob")}/likes/1`,
      kind: "like" as const,
      targetUri: `${alice.uri}/notes/1`,
      localActorUri: alice.uri,
      actorUri: remoteUri("bob"),
      content: null,
      published: at(1),
      updated: null,
      visibility: "public" as const,
      document: { id: `${remoteUri("bob")}/likes/1`, type: "Like" },
      createdAt: at(1),
      deletedAt: null,
    };

    const store = await createJsonStore({ dir });
    try {
      assert.deepEqual(await store.actors.get(alice.uri), alice);
      await store.interactions.put(like);
      assert.equal(await store.interactions.countForTarget(like.targetUri, "like", ["public"]), 1);
    } finally {
      await store.close();
    }
    assert.deepEqual(readJson(join(dir, SCHEMA_VERSION_FILE)), { version: CURRENT_SCHEMA_VERSION });
    assert.deepEqual((readJson(join(dir, "interactions.json")) as { rows: unknown[] }).rows, [{ ...like, seq: 1 }]);
    assert.deepEqual(readJson(join(dir, "quote-authorizations.json")), { table: "quoteAuthorizations", nextSeq: 1, rows: [] });
  });

  test("a directory of a newer version is refused and left alone", async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, SCHEMA_VERSION_FILE), JSON.stringify({ version: CURRENT_SCHEMA_VERSION + 1 }));
    const before = snapshot(dir);
    await assert.rejects(createJsonStore({ dir }), new RegExp(`newer Outpost.*version ${CURRENT_SCHEMA_VERSION + 1}`));
    assert.deepEqual(snapshot(dir), before);
  });

  test("table files without a schema version are refused", async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "actors.json"), JSON.stringify({ table: "actors", nextSeq: 1, rows: [] }));
    await assert.rejects(createJsonStore({ dir }), /no schema-version\.json/);
  });

  test("a damaged table file is refused with its name", async () => {
    const dir = freshDir();
    const store = await createJsonStore({ dir });
    await store.actors.put(localActor("alice"));
    await store.close();
    writeFileSync(join(dir, "actors.json"), JSON.stringify({ table: "actors", nextSeq: 1, rows: [{ uri: 42 }] }));
    await assert.rejects(createJsonStore({ dir }), /actors\.json, row 0/);
  });
});

describe("JSON store durability", () => {
  /** The real file system, with renames into `failing` made to fail while `armed`. */
  function failingRenames(failing: string) {
    const control = { armed: false };
    const fs: JsonFileSystem = {
      ...nodeFileSystem,
      async rename(from, to) {
        if (control.armed && to.endsWith(failing)) throw Object.assign(new Error("disk full"), { code: "ENOSPC" });
        return nodeFileSystem.rename(from, to);
      },
    };
    return { fs, control };
  }

  test("a write that fails midway leaves the old file, the old state and no temporary files", async () => {
    const dir = freshDir();
    const { fs, control } = failingRenames("actors.json");
    const store = await createJsonStore({ dir, fileSystem: fs });
    try {
      await store.actors.put(localActor("alice"));
      const before = snapshot(dir);
      control.armed = true;
      await assert.rejects(store.actors.put(localActor("dave")), /Writing actors\.json failed/);
      assert.deepEqual(snapshot(dir), before);
      assert.equal(await store.actors.get(localUri("dave")), null, "readers never see a change that is not on disk");
      control.armed = false;
      await store.actors.put(localActor("erin"));
      assert.notEqual(await store.actors.get(localUri("erin")), null);
    } finally {
      await store.close();
    }
    const reopened = await createJsonStore({ dir });
    try {
      assert.deepEqual((await reopened.actors.listLocal()).map((actor) => actor.username), ["alice", "erin"]);
    } finally {
      await reopened.close();
    }
  });

  test("a directory in the way of the rename fails the write, which then changes nothing", async () => {
    const dir = freshDir();
    const store = await createJsonStore({ dir });
    try {
      await store.webfinger.put({ acct: "bob@remote.example", actorUri: remoteUri("bob"), fetchedAt: at(1) });
      const before = readFileSync(join(dir, "webfinger-cache.json"), "utf8");
      rmSync(join(dir, "webfinger-cache.json"));
      mkdirSync(join(dir, "webfinger-cache.json", "occupied"), { recursive: true });
      await assert.rejects(store.webfinger.put({ acct: "carol@remote.example", actorUri: remoteUri("carol"), fetchedAt: at(2) }));
      assert.equal(await store.webfinger.get("carol@remote.example"), null);
      rmSync(join(dir, "webfinger-cache.json"), { recursive: true });
      writeFileSync(join(dir, "webfinger-cache.json"), before);
    } finally {
      await store.close();
    }
    assert.deepEqual(
      readdirSync(dir).filter((name) => name.includes(".tmp-")),
      [],
      "the failed write's temporary file is gone",
    );
  });

  test("many concurrent writes in one process all land", async () => {
    const dir = freshDir();
    const store = await createJsonStore({ dir });
    const total = 200;
    try {
      await Promise.all([
        ...Array.from({ length: total }, (_, i) => store.objects.put(note(`${localUri("alice")}/notes/${i}`, localUri("alice")))),
        ...Array.from({ length: total }, (_, i) => store.jobs.enqueue([{ queue: "deliver", payload: i }])),
        ...Array.from({ length: 50 }, () => store.hosts.recordFailure("busy.example", { at: at(1), backoffUntil: null })),
      ]);
      assert.equal((await store.jobs.counts()).pending, total);
      assert.equal((await store.hosts.get("busy.example"))?.failures, 50);
    } finally {
      await store.close();
    }
    const reopened = await createJsonStore({ dir });
    try {
      const objects = await reopened.objects.listByAuthor(localUri("alice"), { visibilities: ["public"] }, { limit: 1000 });
      assert.equal(objects.items.length, total);
      assert.equal(new Set(objects.items.map((object) => object.uri)).size, total);
      assert.equal((await reopened.jobs.counts()).pending, total);
      assert.equal((await reopened.hosts.get("busy.example"))?.failures, 50);
    } finally {
      await reopened.close();
    }
  });

  test("a transaction that throws leaves the files on disk unchanged", async () => {
    const dir = freshDir();
    const store = await createJsonStore({ dir });
    try {
      await store.actors.put(remoteActor("bob"));
      const before = snapshot(dir);
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.actors.put(localActor("alice"));
          await tx.follows.put(follow(remoteUri("bob"), localUri("alice")));
          // Through the outer store too: it joins the transaction.
          await store.jobs.enqueue([{ queue: "deliver", payload: 1 }]);
          throw new Error("changed my mind");
        }),
        /changed my mind/,
      );
      assert.deepEqual(snapshot(dir), before);
    } finally {
      await store.close();
    }
  });

  test("work a transaction leaves running writes to the store once the transaction is over", async () => {
    const dir = freshDir();
    const store = await createJsonStore({ dir });
    try {
      let later: Promise<void> | undefined;
      await store.transaction(async (tx) => {
        await tx.actors.put(localActor("alice"));
        later = new Promise<void>((resolve, reject) => {
          setTimeout(() => store.actors.put(localActor("dave")).then(resolve, reject), 5);
        });
      });
      await later;
      assert.notEqual(await store.actors.get(localUri("dave")), null);
    } finally {
      await store.close();
    }
    const reopened = await createJsonStore({ dir });
    try {
      assert.deepEqual((await reopened.actors.listLocal()).map((actor) => actor.username), ["alice", "dave"]);
    } finally {
      await reopened.close();
    }
  });

  test("a transaction over several tables commits them all to disk", async () => {
    const dir = freshDir();
    const store = await createJsonStore({ dir });
    await store.transaction(async (tx) => {
      await tx.actors.put(localActor("alice"));
      await tx.follows.put(follow(remoteUri("bob"), localUri("alice")));
      await store.jobs.enqueue([{ queue: "deliver", payload: 1 }]);
    });
    await store.close();
    assert.equal(existsSync(join(dir, "commit-journal.json")), false);
    const reopened = await createJsonStore({ dir });
    try {
      assert.notEqual(await reopened.actors.get(localUri("alice")), null);
      assert.notEqual(await reopened.follows.get(remoteUri("bob"), localUri("alice")), null);
      assert.equal((await reopened.jobs.counts()).pending, 1);
    } finally {
      await reopened.close();
    }
  });

  test("a commit interrupted after its journal is finished on the next open", async () => {
    const dir = freshDir();
    const { fs, control } = failingRenames("follows.json");
    const store = await createJsonStore({ dir, fileSystem: fs });
    control.armed = true;
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.actors.put(localActor("alice"));
        await tx.follows.put(follow(remoteUri("bob"), localUri("alice")));
      }),
      /reopen the store/,
    );
    await assert.rejects(store.actors.put(localActor("dave")), /must be reopened/);
    await store.close();
    assert.equal(existsSync(join(dir, "commit-journal.json")), true);

    const reopened = await createJsonStore({ dir });
    try {
      assert.notEqual(await reopened.actors.get(localUri("alice")), null);
      assert.notEqual(await reopened.follows.get(remoteUri("bob"), localUri("alice")), null);
      assert.deepEqual(readdirSync(dir).filter((name) => name.includes(".tmp-") || name === "commit-journal.json"), []);
    } finally {
      await reopened.close();
    }
  });
});

describe("JSON store lock", () => {
  test("a second open of an open directory is refused until the first closes", async () => {
    const dir = freshDir();
    const first = await createJsonStore({ dir });
    await assert.rejects(createJsonStore({ dir }), /already open in this process/);
    assert.equal(readFileSync(join(dir, LOCK_FILE), "utf8").trim(), String(process.pid));
    await first.close();
    const second = await createJsonStore({ dir });
    await second.close();
  });

  test("a lock held by another live process refuses the open", async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    // The test runner that started this process is alive and is not us.
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid}\n`);
    await assert.rejects(createJsonStore({ dir }), new RegExp(`in use by process ${process.ppid}`));
    assert.equal(readFileSync(join(dir, LOCK_FILE), "utf8").trim(), String(process.ppid));
  });

  test("a stale lock of a dead process is taken over", async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, LOCK_FILE), `${deadPid()}\n`);
    const store = await createJsonStore({ dir });
    try {
      assert.equal(readFileSync(join(dir, LOCK_FILE), "utf8").trim(), String(process.pid));
      await store.actors.put(localActor("alice"));
    } finally {
      await store.close();
    }
  });

  test("a lock that names no process is not broken", async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, LOCK_FILE), "");
    await assert.rejects(createJsonStore({ dir }), /names no process/);
  });
});
