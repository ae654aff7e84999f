/** Contract: objects and activities. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ObjectListFilter } from "../store.ts";
import { activity, at, localUri, note, remoteUri, withStore, type OpenStore } from "./fixtures.ts";

const PUBLIC_ONLY: ObjectListFilter = { visibilities: ["public"] };
const ALL_VISIBILITIES: ObjectListFilter = { visibilities: ["public", "unlisted", "followers", "direct"] };

/** Registers the object and activity contract tests. */
export function objectContract(open: OpenStore): void {
  const alice = localUri("alice");
  const bob = remoteUri("bob");

  describe("objects", () => {
    test("round-trips every field", () =>
      withStore(open, async (store) => {
        const reply = note(`${bob}/notes/1`, bob, {
          local: false,
          visibility: "followers",
          inReplyTo: `${alice}/notes/1`,
          updated: at(11),
          recipients: [`${bob}/followers`, alice],
          document: { id: `${bob}/notes/1`, type: "Note", content: "<p>ü “x”</p>", n: 1.5, flags: [true, false, null] },
        });
        const own = note(`${alice}/notes/1`, alice);
        await store.objects.put(own);
        await store.objects.put(reply);
        assert.deepEqual(await store.objects.get(own.uri), own);
        assert.deepEqual(await store.objects.get(reply.uri), reply);
        assert.equal(await store.objects.get(`${alice}/notes/404`), null);
      }));

    test("put replaces the object with the same uri", () =>
      withStore(open, async (store) => {
        const original = note(`${alice}/notes/1`, alice);
        await store.objects.put(original);
        const edited = { ...original, updated: at(30), document: { ...original.document, content: "<p>edited</p>" } };
        await store.objects.put(edited);
        assert.deepEqual(await store.objects.get(original.uri), edited);
        const page = await store.objects.listByAuthor(alice, PUBLIC_ONLY, { limit: 10 });
        assert.deepEqual(page.items, [edited]);
      }));

    test("tombstone replaces the document and hides the object from lists", () =>
      withStore(open, async (store) => {
        const parent = note(`${alice}/notes/1`, alice);
        const reply = note(`${alice}/notes/2`, alice, { inReplyTo: parent.uri });
        await store.objects.put(parent);
        await store.objects.put(reply);
        assert.equal(await store.objects.countReplies(parent.uri, PUBLIC_ONLY), 1);
        const tombstone = { id: reply.uri, type: "Tombstone", formerType: "Note", deleted: at(40) };
        await store.objects.tombstone(reply.uri, { deletedAt: at(40), formerType: "Note", tombstone });
        const stored = await store.objects.get(reply.uri);
        assert.equal(stored?.deletedAt, at(40));
        assert.equal(stored?.formerType, "Note");
        assert.deepEqual(stored?.document, tombstone);
        assert.equal(await store.objects.countReplies(parent.uri, PUBLIC_ONLY), 0);
        assert.deepEqual((await store.objects.listReplies(parent.uri, PUBLIC_ONLY, { limit: 10 })).items, []);
        assert.deepEqual(
          (await store.objects.listByAuthor(alice, PUBLIC_ONLY, { limit: 10 })).items.map((o) => o.uri),
          [parent.uri],
        );
      }));

    test("lists and counts honour the visibility filter", () =>
      withStore(open, async (store) => {
        const parent = note(`${alice}/notes/0`, alice);
        await store.objects.put(parent);
        for (const visibility of ["public", "unlisted", "followers", "direct"] as const) {
          await store.objects.put(note(`${alice}/notes/${visibility}`, alice, { visibility, inReplyTo: parent.uri }));
        }
        assert.equal(await store.objects.countReplies(parent.uri, PUBLIC_ONLY), 1);
        assert.equal(await store.objects.countReplies(parent.uri, ALL_VISIBILITIES), 4);
        assert.equal(await store.objects.countReplies(parent.uri, { visibilities: ["public", "unlisted"] }), 2);
        assert.equal(await store.objects.countReplies(parent.uri, { visibilities: [] }), 0);
        const listed = await store.objects.listByAuthor(alice, { visibilities: ["followers", "direct"] }, { limit: 10 });
        assert.deepEqual(listed.items.map((o) => o.visibility), ["direct", "followers"]);
        assert.deepEqual((await store.objects.listByAuthor(alice, { visibilities: [] }, { limit: 10 })).items, []);
      }));

    test("removeByAuthor and remove", () =>
      withStore(open, async (store) => {
        await store.objects.put(note(`${bob}/notes/1`, bob));
        await store.objects.put(note(`${bob}/notes/2`, bob));
        await store.objects.put(note(`${alice}/notes/1`, alice));
        assert.equal(await store.objects.removeByAuthor(bob), 2);
        assert.equal(await store.objects.get(`${bob}/notes/1`), null);
        await store.objects.remove(`${alice}/notes/1`);
        assert.equal(await store.objects.get(`${alice}/notes/1`), null);
        assert.equal(await store.objects.removeByAuthor(bob), 0);
      }));
  });

  describe("activities", () => {
    test("add stores once and round-trips every field", () =>
      withStore(open, async (store) => {
        const record = activity(`${alice}/activities/1`, "Create", alice, {
          targetUri: `${alice}/collections/x`,
          visibility: "direct",
          recipients: [bob],
          document: { id: `${alice}/activities/1`, type: "Create", object: { type: "Note", content: "é" } },
        });
        assert.equal(await store.activities.add(record), true);
        assert.deepEqual(await store.activities.get(record.uri), record);
        assert.equal(await store.activities.add({ ...record, type: "Update", document: {} }), false);
        assert.deepEqual(await store.activities.get(record.uri), record);
        const remote = activity(`${bob}/activities/1`, "Like", bob, { local: false, objectUri: null });
        assert.equal(await store.activities.add(remote), true);
        assert.deepEqual(await store.activities.get(remote.uri), remote);
        assert.equal(await store.activities.get(`${bob}/activities/404`), null);
      }));

    test("listByActor and countByActor cover the actor's local activities, filtered", () =>
      withStore(open, async (store) => {
        await store.activities.add(activity(`${alice}/a/1`, "Create", alice));
        await store.activities.add(activity(`${alice}/a/2`, "Like", alice));
        await store.activities.add(activity(`${alice}/a/3`, "Create", alice, { visibility: "followers" }));
        await store.activities.add(activity(`${alice}/a/4`, "Announce", alice, { local: false }));
        await store.activities.add(activity(`${bob}/a/1`, "Create", bob));
        const everything = { visibilities: ["public", "followers"] as const };
        assert.equal(await store.activities.countByActor(alice, everything), 3);
        assert.equal(await store.activities.countByActor(alice, { visibilities: ["public"] }), 2);
        assert.equal(await store.activities.countByActor(alice, { visibilities: ["public"], types: ["Create"] }), 1);
        assert.equal(await store.activities.countByActor(alice, { visibilities: ["public"], types: [] }), 0);
        const page = await store.activities.listByActor(alice, { ...everything, types: ["Create"] }, { limit: 10 });
        assert.deepEqual(page.items.map((a) => a.uri), [`${alice}/a/3`, `${alice}/a/1`]);
        assert.deepEqual(page.items[0], activity(`${alice}/a/3`, "Create", alice, { visibility: "followers" }));
      }));

    test("findLatest finds the newest matching activity", () =>
      withStore(open, async (store) => {
        const object = `${bob}/notes/1`;
        await store.activities.add(activity(`${alice}/likes/1`, "Like", alice, { objectUri: object }));
        await store.activities.add(activity(`${alice}/likes/2`, "Like", alice, { objectUri: object }));
        await store.activities.add(activity(`${alice}/announces/1`, "Announce", alice, { objectUri: object }));
        await store.activities.add(activity(`${alice}/likes/3`, "Like", alice, { objectUri: `${bob}/notes/2` }));
        const latest = await store.activities.findLatest({ actorUri: alice, type: "Like", objectUri: object });
        assert.equal(latest?.uri, `${alice}/likes/2`);
        assert.equal(await store.activities.findLatest({ actorUri: bob, type: "Like", objectUri: object }), null);
      }));

    test("removeByActor removes every activity of the actor", () =>
      withStore(open, async (store) => {
        await store.activities.add(activity(`${bob}/a/1`, "Create", bob, { local: false }));
        await store.activities.add(activity(`${bob}/a/2`, "Like", bob, { local: false }));
        await store.activities.add(activity(`${alice}/a/1`, "Create", alice));
        assert.equal(await store.activities.removeByActor(bob), 2);
        assert.equal(await store.activities.get(`${bob}/a/1`), null);
        assert.notEqual(await store.activities.get(`${alice}/a/1`), null);
      }));
  });

  describe("inbox entries", () => {
    test("list the actor's received activities in arrival order, once each", () =>
      withStore(open, async (store) => {
        const dave = localUri("dave");
        const first = activity(`${bob}/a/1`, "Create", bob, { local: false });
        const second = activity(`${bob}/a/2`, "Create", bob, { local: false, visibility: "direct" });
        const third = activity(`${bob}/a/3`, "Like", bob, { local: false });
        await store.activities.add(first);
        await store.activities.add(second);
        await store.activities.add(third);
        // Arrival order differs from storage order on purpose.
        await store.inbox.add(second.uri, [alice], at(1));
        await store.inbox.add(first.uri, [alice, dave], at(2));
        await store.inbox.add(first.uri, [alice], at(3));
        await store.inbox.add(third.uri, [dave], at(4));
        await store.inbox.add(third.uri, [], at(5));

        const all = { visibilities: ["public", "direct"] as const };
        const page = await store.inbox.list(alice, all, { limit: 10 });
        assert.deepEqual(page.items, [first, second]);
        assert.deepEqual((await store.inbox.list(alice, { visibilities: ["public"] }, { limit: 10 })).items, [first]);
        assert.deepEqual(
          (await store.inbox.list(dave, { ...all, types: ["Like"] }, { limit: 10 })).items.map((a) => a.uri),
          [third.uri],
        );
        assert.deepEqual((await store.inbox.list(localUri("nobody"), all, { limit: 10 })).items, []);
      }));
  });
}
