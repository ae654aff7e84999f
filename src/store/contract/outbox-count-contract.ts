/**
 * Contract: outbox counts. A store may keep them apart from the activities
 * (the SQL store does, in a table its triggers maintain), so every way of
 * changing activities is checked to move the counts with it.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Visibility } from "../records.ts";
import type { ActivityListFilter, Store } from "../store.ts";
import { activity, localUri, readAllPages, remoteUri, withStore, type OpenStore } from "./fixtures.ts";

const VISIBILITIES: readonly Visibility[] = ["public", "unlisted", "followers", "direct"];

/** Filters an outbox is counted with, from the widest to a single type and visibility. */
const FILTERS: readonly ActivityListFilter[] = [
  { visibilities: VISIBILITIES },
  { visibilities: ["public", "unlisted"], types: ["Create", "Announce"] },
  { visibilities: ["public"] },
  { visibilities: ["followers"], types: ["Create"] },
  { visibilities: ["direct"], types: ["Like", "Create"] },
];

/** Each filter's count, as the store answers it and as its listing finds it. */
async function countsOf(store: Store, actorUri: string): Promise<{ counted: number[]; listed: number[] }> {
  const counted: number[] = [];
  const listed: number[] = [];
  for (const filter of FILTERS) {
    counted.push(await store.activities.countByActor(actorUri, filter));
    listed.push((await readAllPages((page) => store.activities.listByActor(actorUri, filter, page), 5)).length);
  }
  return { counted, listed };
}

/** Registers the outbox count contract tests. */
export function outboxCountContract(open: OpenStore): void {
  describe("outbox counts", () => {
    const alice = localUri("alice");
    const bob = remoteUri("bob");

    test("count local activities once each, by type and visibility, and nothing received", () =>
      withStore(open, async (store) => {
        await store.activities.add(activity(`${alice}/a/1`, "Create", alice));
        await store.activities.add(activity(`${alice}/a/1`, "Create", alice, { visibility: "direct" }));
        await store.activities.add(activity(`${alice}/a/2`, "Announce", alice, { visibility: "unlisted" }));
        await store.activities.add(activity(`${alice}/a/3`, "Create", alice, { visibility: "followers" }));
        await store.activities.add(activity(`${alice}/a/4`, "Like", alice, { visibility: "direct" }));
        await store.activities.add(activity(`${bob}/a/1`, "Create", bob, { local: false }));
        // An activity stored as received but naming a local actor is still not in its outbox.
        await store.activities.add(activity(`${alice}/forwarded/1`, "Create", alice, { local: false }));
        const { counted, listed } = await countsOf(store, alice);
        assert.deepEqual(counted, listed);
        assert.deepEqual(counted, [4, 2, 1, 1, 1]);
        assert.deepEqual((await countsOf(store, bob)).counted, [0, 0, 0, 0, 0]);
      }));

    test("removing an actor's activities uncounts them", () =>
      withStore(open, async (store) => {
        await store.activities.add(activity(`${alice}/a/1`, "Create", alice));
        await store.activities.add(activity(`${alice}/a/2`, "Announce", alice));
        await store.activities.add(activity(`${localUri("carol")}/a/1`, "Create", localUri("carol")));
        await store.activities.removeByActor(alice);
        assert.deepEqual((await countsOf(store, alice)).counted, [0, 0, 0, 0, 0]);
        assert.equal(await store.activities.countByActor(localUri("carol"), { visibilities: ["public"] }), 1);
        await store.activities.add(activity(`${alice}/a/3`, "Create", alice));
        assert.equal(await store.activities.countByActor(alice, { visibilities: ["public"] }), 1);
      }));

    test("a rolled-back transaction leaves the counts as they were", () =>
      withStore(open, async (store) => {
        await store.activities.add(activity(`${alice}/a/1`, "Create", alice));
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.activities.add(activity(`${alice}/a/2`, "Create", alice));
            assert.equal(await tx.activities.countByActor(alice, { visibilities: ["public"] }), 2);
            await tx.activities.removeByActor(alice);
            throw new Error("undo");
          }),
          /undo/,
        );
        assert.equal(await store.activities.countByActor(alice, { visibilities: ["public"] }), 1);
      }));

    test("activities added at once are all counted", () =>
      withStore(open, async (store) => {
        await Promise.all(
          Array.from({ length: 24 }, (_, i) =>
            store.transaction((tx) =>
              tx.activities.add(activity(`${alice}/a/${i}`, i % 2 === 0 ? "Create" : "Announce", alice)),
            ),
          ),
        );
        const { counted, listed } = await countsOf(store, alice);
        assert.deepEqual(counted, listed);
        assert.equal(counted[1], 24);
      }));
  });
}
