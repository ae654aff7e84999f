/** Contract: interactions and quote authorizations. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { InteractionKind, InteractionRecord, QuoteAuthorizationRecord, Visibility } from "../records.ts";
import { at, localUri, readAllPages, remoteUri, withStore, type OpenStore } from "./fixtures.ts";

const PUBLIC: readonly Visibility[] = ["public", "unlisted"];
const ALL: readonly Visibility[] = ["public", "unlisted", "followers", "direct"];

/** An interaction with every field set. */
function interaction(uri: string, kind: InteractionKind, overrides: Partial<InteractionRecord> = {}): InteractionRecord {
  return {
    uri,
    kind,
    targetUri: `${localUri("alice")}/objects/1`,
    localActorUri: localUri("alice"),
    actorUri: remoteUri("bob"),
    content: kind === "like" || kind === "boost" ? null : "<p>Nice “post” ✨</p>",
    published: at(1),
    updated: null,
    visibility: "public",
    document: { id: uri, type: "Note", content: "<p>Nice</p>", tag: [{ type: "Mention", href: localUri("alice") }] },
    createdAt: at(2),
    deletedAt: null,
    ...overrides,
  };
}

function authorization(n: number, overrides: Partial<QuoteAuthorizationRecord> = {}): QuoteAuthorizationRecord {
  return {
    uri: `${localUri("alice")}/quote-authorizations/${n}`,
    requestUri: `${remoteUri("bob")}/quote-requests/${n}`,
    state: "pending",
    localActorUri: localUri("alice"),
    actorUri: remoteUri("bob"),
    quoteUri: `${remoteUri("bob")}/notes/${n}`,
    targetUri: `${localUri("alice")}/objects/1`,
    request: { id: `${remoteUri("bob")}/quote-requests/${n}`, type: "QuoteRequest", instrument: { id: "x", n: 1.5 } },
    createdAt: at(n),
    decidedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

/** Registers the interaction contract tests. */
export function interactionContract(open: OpenStore): void {
  const target = `${localUri("alice")}/objects/1`;
  const bob = remoteUri("bob");

  describe("interactions", () => {
    test("round-trips every field, keyed by uri and kind", () =>
      withStore(open, async (store) => {
        const reply = interaction(`${bob}/notes/1`, "reply");
        const mention = interaction(`${bob}/notes/1`, "mention", { targetUri: null, visibility: "direct" });
        await store.interactions.put(reply);
        await store.interactions.put(mention);
        assert.deepEqual(await store.interactions.get(reply.uri, "reply"), reply);
        assert.deepEqual(await store.interactions.get(reply.uri, "mention"), mention);
        assert.equal(await store.interactions.get(reply.uri, "quote"), null);
      }));

    test("put replaces the interaction and keeps its place in the list", () =>
      withStore(open, async (store) => {
        await store.interactions.put(interaction(`${bob}/notes/1`, "reply"));
        await store.interactions.put(interaction(`${bob}/notes/2`, "reply"));
        const edited = interaction(`${bob}/notes/1`, "reply", { content: "<p>edited</p>", updated: at(9) });
        await store.interactions.put(edited);
        const page = await store.interactions.listForTarget(target, { visibilities: PUBLIC }, { limit: 10 });
        assert.deepEqual(page.items.map((item) => item.uri), [`${bob}/notes/2`, `${bob}/notes/1`]);
        assert.deepEqual(page.items[1], edited);
      }));

    test("lists and counts hold live interactions of the asked visibilities and kinds", () =>
      withStore(open, async (store) => {
        await store.interactions.put(interaction(`${bob}/notes/1`, "reply"));
        await store.interactions.put(interaction(`${bob}/notes/2`, "reply", { visibility: "unlisted" }));
        await store.interactions.put(interaction(`${bob}/notes/3`, "reply", { visibility: "direct" }));
        await store.interactions.put(interaction(`${bob}/likes/1`, "like"));
        await store.interactions.put(interaction(`${bob}/notes/4`, "reply", { targetUri: `${target}-other` }));
        const replies = await store.interactions.listForTarget(target, { visibilities: PUBLIC, kinds: ["reply"] }, { limit: 10 });
        assert.deepEqual(replies.items.map((item) => item.uri), [`${bob}/notes/2`, `${bob}/notes/1`]);
        const everything = await store.interactions.listForTarget(target, { visibilities: ALL }, { limit: 10 });
        assert.equal(everything.items.length, 4);
        assert.equal(await store.interactions.countForTarget(target, "reply", PUBLIC), 2);
        assert.equal(await store.interactions.countForTarget(target, "reply", ALL), 3);
        assert.equal(await store.interactions.countForTarget(target, "like", PUBLIC), 1);
        assert.equal(await store.interactions.countForTarget(target, "reply", []), 0);
        assert.equal((await store.interactions.listForTarget(target, { visibilities: [] }, { limit: 10 })).items.length, 0);
        assert.equal((await store.interactions.listForTarget(target, { visibilities: ALL, kinds: [] }, { limit: 10 })).items.length, 0);
      }));

    test("markDeleted takes every kind of a uri out of lists and counts, once", () =>
      withStore(open, async (store) => {
        const reply = interaction(`${bob}/notes/1`, "reply");
        await store.interactions.put(reply);
        await store.interactions.put(interaction(`${bob}/notes/1`, "mention"));
        assert.equal(await store.interactions.markDeleted(reply.uri, at(20)), 2);
        assert.equal(await store.interactions.markDeleted(reply.uri, at(21)), 0);
        assert.equal((await store.interactions.get(reply.uri, "reply"))?.deletedAt, at(20));
        assert.equal(await store.interactions.countForTarget(target, "reply", ALL), 0);
        assert.equal((await store.interactions.listForActor(localUri("alice"), { visibilities: ALL }, { limit: 5 })).items.length, 0);
      }));

    test("remove and removeByActor delete for good", () =>
      withStore(open, async (store) => {
        await store.interactions.put(interaction(`${bob}/notes/1`, "reply"));
        await store.interactions.put(interaction(`${bob}/notes/1`, "quote"));
        await store.interactions.put(interaction(`${bob}/likes/1`, "like"));
        await store.interactions.put(interaction(`${remoteUri("carol")}/likes/1`, "like", { actorUri: remoteUri("carol") }));
        assert.equal(await store.interactions.remove(`${bob}/notes/1`), 2);
        assert.equal(await store.interactions.get(`${bob}/notes/1`, "quote"), null);
        assert.equal(await store.interactions.removeByActor(bob), 1);
        assert.equal(await store.interactions.countForTarget(target, "like", ALL), 1);
      }));

    test("listForActor pages through a local actor's interactions, newest first", () =>
      withStore(open, async (store) => {
        for (let n = 1; n <= 7; n++) await store.interactions.put(interaction(`${bob}/notes/${n}`, "mention", { targetUri: null }));
        await store.interactions.put(interaction(`${bob}/notes/99`, "mention", { localActorUri: localUri("dave") }));
        const all = await readAllPages(
          (page) => store.interactions.listForActor(localUri("alice"), { visibilities: PUBLIC, kinds: ["mention"] }, page),
          3,
        );
        assert.deepEqual(all.map((item) => item.uri), [7, 6, 5, 4, 3, 2, 1].map((n) => `${bob}/notes/${n}`));
      }));
  });

  describe("quote authorizations", () => {
    test("round-trip, found by uri, request and quote pair", () =>
      withStore(open, async (store) => {
        const record = authorization(1);
        await store.interactions.putQuoteAuthorization(record);
        assert.deepEqual(await store.interactions.getQuoteAuthorization(record.uri), record);
        assert.deepEqual(await store.interactions.getQuoteAuthorizationByRequest(record.requestUri), record);
        assert.deepEqual(await store.interactions.findQuoteAuthorization({ quoteUri: record.quoteUri, targetUri: target }), record);
        assert.equal(await store.interactions.findQuoteAuthorization({ quoteUri: record.quoteUri, targetUri: `${target}-x` }), null);
        assert.equal(await store.interactions.getQuoteAuthorization(`${record.uri}-missing`), null);
      }));

    test("put replaces the state and lists filter on it", () =>
      withStore(open, async (store) => {
        await store.interactions.putQuoteAuthorization(authorization(1));
        await store.interactions.putQuoteAuthorization(authorization(2));
        const accepted = authorization(1, { state: "accepted", decidedAt: at(30) });
        await store.interactions.putQuoteAuthorization(accepted);
        assert.deepEqual(await store.interactions.getQuoteAuthorization(accepted.uri), accepted);
        const pending = await store.interactions.listQuoteAuthorizations(localUri("alice"), { states: ["pending"] }, { limit: 10 });
        assert.deepEqual(pending.items.map((item) => item.uri), [authorization(2).uri]);
        const both = await store.interactions.listQuoteAuthorizations(
          localUri("alice"),
          { states: ["pending", "accepted"] },
          { limit: 10 },
        );
        assert.deepEqual(both.items.map((item) => item.uri), [authorization(2).uri, authorization(1).uri]);
        assert.equal((await store.interactions.listQuoteAuthorizations(localUri("alice"), { states: [] }, { limit: 10 })).items.length, 0);
      }));
  });
}
