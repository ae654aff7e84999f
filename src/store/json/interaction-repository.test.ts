import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { at, localUri, remoteUri } from "../contract/fixtures.ts";
import type { InteractionRecord, QuoteAuthorizationRecord } from "../records.ts";
import { createJsonStore } from "./json-store.ts";

const tempRoot = mkdtempSync(join(tmpdir(), "outpost-json-interactions-"));
after(() => rmSync(tempRoot, { recursive: true, force: true }));

let dirCount = 0;
function freshDir(): string {
  return join(tempRoot, `store-${dirCount++}`);
}

const alice = localUri("alice");
const bob = remoteUri("bob");
const target = `${alice}/notes/1`;

function reply(n: number, overrides: Partial<InteractionRecord> = {}): InteractionRecord {
  return {
    uri: `${bob}/notes/${n}`,
    kind: "reply",
    targetUri: target,
    localActorUri: alice,
    actorUri: bob,
    content: `<p>reply ${n}</p>`,
    published: at(n),
    updated: null,
    visibility: "public",
    document: { id: `${bob}/notes/${n}`, type: "Note", inReplyTo: target },
    createdAt: at(n),
    deletedAt: null,
    ...overrides,
  };
}

function authorization(n: number, overrides: Partial<QuoteAuthorizationRecord> = {}): QuoteAuthorizationRecord {
  return {
    uri: `${alice}/quote-authorizations/${n}`,
    requestUri: `${bob}/quote-requests/${n}`,
    state: "pending",
    localActorUri: alice,
    actorUri: bob,
    quoteUri: `${bob}/notes/${n}`,
    targetUri: target,
    request: { id: `${bob}/quote-requests/${n}`, type: "QuoteRequest" },
    createdAt: at(n),
    decidedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

describe("JSON store interactions", () => {
  test("interactions and quote authorizations survive reopening, in their list order", async () => {
    const dir = freshDir();
    const first = await createJsonStore({ dir });
    await first.interactions.put(reply(1));
    await first.interactions.put(reply(2));
    await first.interactions.markDeleted(reply(2).uri, at(5));
    await first.interactions.put(reply(3));
    await first.interactions.putQuoteAuthorization(authorization(1, { state: "accepted", decidedAt: at(4) }));
    await first.close();

    const second = await createJsonStore({ dir });
    try {
      const page = await second.interactions.listForTarget(target, { visibilities: ["public"] }, { limit: 10 });
      assert.deepEqual(page.items, [reply(3), reply(1)]);
      assert.equal((await second.interactions.get(reply(2).uri, "reply"))?.deletedAt, at(5));
      assert.deepEqual(
        await second.interactions.getQuoteAuthorization(authorization(1).uri),
        authorization(1, { state: "accepted", decidedAt: at(4) }),
      );
      // The seq counter came back too: a new reply lists above the old ones.
      await second.interactions.put(reply(4));
      const newest = await second.interactions.listForTarget(target, { visibilities: ["public"] }, { limit: 1 });
      assert.deepEqual(newest.items.map((item) => item.uri), [reply(4).uri]);
    } finally {
      await second.close();
    }
    const file = JSON.parse(readFileSync(join(dir, "interactions.json"), "utf8")) as { rows: { uri: string; seq: number }[] };
    assert.deepEqual(
      file.rows.map((row) => [row.uri, row.seq]),
      [[reply(1).uri, 1], [reply(2).uri, 2], [reply(3).uri, 3], [reply(4).uri, 4]],
    );
  });

  test("a stored document is not changed by the caller's later edits", async () => {
    const store = await createJsonStore({ dir: freshDir() });
    try {
      const record = reply(1);
      await store.interactions.put(record);
      (record.document as { type: string }).type = "Changed";
      const read = await store.interactions.get(record.uri, "reply");
      assert.equal(read?.document.type, "Note");
      (read!.document as { type: string }).type = "Changed again";
      assert.equal((await store.interactions.get(record.uri, "reply"))?.document.type, "Note");
    } finally {
      await store.close();
    }
  });

  test("a quote authorization that reuses another's request or quote pair is refused, changing nothing", async () => {
    const store = await createJsonStore({ dir: freshDir() });
    try {
      await store.interactions.putQuoteAuthorization(authorization(1));
      await assert.rejects(
        store.interactions.putQuoteAuthorization(authorization(2, { requestUri: authorization(1).requestUri })),
        /already answered/,
      );
      await assert.rejects(
        store.interactions.putQuoteAuthorization(authorization(3, { quoteUri: authorization(1).quoteUri })),
        /already authorized/,
      );
      assert.equal(await store.interactions.getQuoteAuthorization(authorization(2).uri), null);
      assert.equal(await store.interactions.getQuoteAuthorization(authorization(3).uri), null);
      const listed = await store.interactions.listQuoteAuthorizations(alice, { states: ["pending"] }, { limit: 10 });
      assert.deepEqual(listed.items, [authorization(1)]);
      // Re-putting the same authorization (its decision) is no conflict with itself.
      await store.interactions.putQuoteAuthorization(authorization(1, { state: "rejected", decidedAt: at(9) }));
      assert.equal((await store.interactions.getQuoteAuthorization(authorization(1).uri))?.state, "rejected");
    } finally {
      await store.close();
    }
  });

  test("a transaction that throws leaves no interaction behind", async () => {
    const store = await createJsonStore({ dir: freshDir() });
    try {
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.interactions.put(reply(1));
          await tx.interactions.putQuoteAuthorization(authorization(1));
          throw new Error("changed my mind");
        }),
        /changed my mind/,
      );
      assert.equal(await store.interactions.get(reply(1).uri, "reply"), null);
      assert.equal(await store.interactions.getQuoteAuthorization(authorization(1).uri), null);
    } finally {
      await store.close();
    }
  });
});
