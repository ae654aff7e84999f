/**
 * Contract: keyset paging, the same for every list. Each case seeds a list
 * with the items it must show, interleaved with items it must not, and reads
 * pages of it as keys.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Page, PageRequest } from "../records.ts";
import type { Store } from "../store.ts";
import { activity, at, follow, localUri, note, remoteUri, withStore, type OpenStore } from "./fixtures.ts";

interface ListCase {
  name: string;
  /** Adds `count` listed items, oldest first, among unlisted ones; returns their keys in that order. */
  seed(store: Store, count: number): Promise<string[]>;
  /** One page of the list, each item as its key. */
  read(store: Store, page: PageRequest): Promise<Page<string>>;
}

const alice = localUri("alice");
const dave = localUri("dave");
const bob = remoteUri("bob");
const parent = `${alice}/notes/parent`;
const post = `${alice}/notes/post`;
const featured = `${alice}/featured`;

async function keysOf<T>(page: Promise<Page<T>>, key: (item: T) => string): Promise<Page<string>> {
  const { items, next, prev } = await page;
  return { items: items.map(key), next, prev };
}

const CASES: ListCase[] = [
  {
    name: "follows.listFollowers",
    async seed(store, count) {
      const keys: string[] = [];
      for (let i = 0; i < count; i++) {
        await store.follows.put(follow(remoteUri(`pending${i}`), alice, { state: "pending" }));
        await store.follows.put(follow(remoteUri(`f${i}`), alice));
        await store.follows.put(follow(remoteUri(`f${i}`), dave));
        keys.push(remoteUri(`f${i}`));
      }
      return keys;
    },
    read: (store, page) => keysOf(store.follows.listFollowers(alice, "accepted", page), (f) => f.followerUri),
  },
  {
    name: "follows.listFollowing",
    async seed(store, count) {
      const keys: string[] = [];
      for (let i = 0; i < count; i++) {
        await store.follows.put(follow(alice, remoteUri(`asked${i}`), { state: "pending" }));
        await store.follows.put(follow(dave, remoteUri(`f${i}`)));
        await store.follows.put(follow(alice, remoteUri(`f${i}`)));
        keys.push(remoteUri(`f${i}`));
      }
      return keys;
    },
    read: (store, page) => keysOf(store.follows.listFollowing(alice, "accepted", page), (f) => f.followeeUri),
  },
  {
    name: "objects.listByAuthor",
    async seed(store, count) {
      const keys: string[] = [];
      for (let i = 0; i < count; i++) {
        await store.objects.put(note(`${alice}/notes/direct${i}`, alice, { visibility: "direct" }));
        await store.objects.put(note(`${alice}/notes/${i}`, alice, { visibility: i % 2 === 0 ? "public" : "unlisted" }));
        await store.objects.put(note(`${bob}/notes/${i}`, bob));
        await store.objects.put(note(`${alice}/notes/gone${i}`, alice));
        await store.objects.tombstone(`${alice}/notes/gone${i}`, { deletedAt: at(i), formerType: "Note", tombstone: { type: "Tombstone" } });
        keys.push(`${alice}/notes/${i}`);
      }
      return keys;
    },
    read: (store, page) =>
      keysOf(store.objects.listByAuthor(alice, { visibilities: ["public", "unlisted"] }, page), (o) => o.uri),
  },
  {
    name: "objects.listReplies",
    async seed(store, count) {
      const keys: string[] = [];
      for (let i = 0; i < count; i++) {
        await store.objects.put(note(`${bob}/replies/${i}`, bob, { inReplyTo: parent, local: false }));
        await store.objects.put(note(`${bob}/elsewhere/${i}`, bob, { inReplyTo: post, local: false }));
        await store.objects.put(note(`${bob}/private/${i}`, bob, { inReplyTo: parent, visibility: "followers" }));
        keys.push(`${bob}/replies/${i}`);
      }
      return keys;
    },
    read: (store, page) => keysOf(store.objects.listReplies(parent, { visibilities: ["public"] }, page), (o) => o.uri),
  },
  {
    name: "activities.listByActor",
    async seed(store, count) {
      const keys: string[] = [];
      for (let i = 0; i < count; i++) {
        await store.activities.add(activity(`${alice}/received/${i}`, "Create", alice, { local: false }));
        await store.activities.add(activity(`${alice}/a/${i}`, i % 2 === 0 ? "Create" : "Announce", alice));
        await store.activities.add(activity(`${alice}/likes/${i}`, "Like", alice));
        await store.activities.add(activity(`${dave}/a/${i}`, "Create", dave));
        keys.push(`${alice}/a/${i}`);
      }
      return keys;
    },
    read: (store, page) =>
      keysOf(
        store.activities.listByActor(alice, { visibilities: ["public"], types: ["Create", "Announce"] }, page),
        (a) => a.uri,
      ),
  },
  {
    name: "inbox.list",
    async seed(store, count) {
      const keys: string[] = [];
      for (let i = 0; i < count; i++) {
        const shared = activity(`${bob}/a/${i}`, "Create", bob, { local: false });
        const other = activity(`${bob}/to-dave/${i}`, "Create", bob, { local: false });
        const hidden = activity(`${bob}/dm/${i}`, "Create", bob, { local: false, visibility: "direct" });
        for (const a of [shared, other, hidden]) await store.activities.add(a);
        await store.inbox.add(other.uri, [dave], at(i));
        await store.inbox.add(shared.uri, [alice, dave], at(i));
        await store.inbox.add(hidden.uri, [alice], at(i));
        keys.push(shared.uri);
      }
      return keys;
    },
    read: (store, page) => keysOf(store.inbox.list(alice, { visibilities: ["public"] }, page), (a) => a.uri),
  },
  {
    name: "reactions.list",
    async seed(store, count) {
      const keys: string[] = [];
      for (let i = 0; i < count; i++) {
        const actorUri = remoteUri(`r${i}`);
        const base = { actorUri, createdAt: at(i) };
        await store.reactions.add({ ...base, activityUri: `${actorUri}/boost`, type: "Announce", objectUri: post });
        await store.reactions.add({ ...base, activityUri: `${actorUri}/like`, type: "Like", objectUri: post });
        await store.reactions.add({ ...base, activityUri: `${actorUri}/like2`, type: "Like", objectUri: parent });
        keys.push(`${actorUri}/like`);
      }
      return keys;
    },
    read: (store, page) => keysOf(store.reactions.list(post, "Like", page), (r) => r.activityUri),
  },
  {
    name: "reactions.listByActor",
    async seed(store, count) {
      const keys: string[] = [];
      for (let i = 0; i < count; i++) {
        const objectUri = `${alice}/notes/${i}`;
        const base = { objectUri, createdAt: at(i) };
        await store.reactions.add({ ...base, activityUri: `${bob}/likes/${i}`, type: "Like", actorUri: bob });
        await store.reactions.add({ ...base, activityUri: `${bob}/boosts/${i}`, type: "Announce", actorUri: bob });
        await store.reactions.add({ ...base, activityUri: `${dave}/boosts/${i}`, type: "Announce", actorUri: dave });
        keys.push(`${bob}/boosts/${i}`);
      }
      return keys;
    },
    read: (store, page) => keysOf(store.reactions.listByActor(bob, "Announce", page), (r) => r.activityUri),
  },
  {
    name: "blocks.list",
    async seed(store, count) {
      const keys: string[] = [];
      for (let i = 0; i < count; i++) {
        const targetUri = remoteUri(`b${i}`);
        await store.blocks.put({ activityUri: `${dave}/blocks/${i}`, actorUri: dave, targetUri, createdAt: at(i) });
        await store.blocks.put({ activityUri: `${alice}/blocks/${i}`, actorUri: alice, targetUri, createdAt: at(i) });
        keys.push(targetUri);
      }
      return keys;
    },
    read: (store, page) => keysOf(store.blocks.list(alice, page), (b) => b.targetUri),
  },
  {
    name: "collections.list",
    async seed(store, count) {
      const keys: string[] = [];
      for (let i = 0; i < count; i++) {
        const itemUri = `${alice}/notes/${i}`;
        await store.collections.add({ collectionUri: `${alice}/other`, itemUri, addedAt: at(i) });
        await store.collections.add({ collectionUri: featured, itemUri, addedAt: at(i) });
        keys.push(itemUri);
      }
      return keys;
    },
    read: (store, page) => keysOf(store.collections.list(featured, page), (c) => c.itemUri),
  },
];

/** Registers the paging contract tests, for every list of the store. */
export function pagingContract(open: OpenStore): void {
  for (const list of CASES) {
    describe(`paging: ${list.name}`, () => {
      test("next walks from the newest page to the oldest without gaps or duplicates", () =>
        withStore(open, async (store) => {
          const [k1, k2, k3, k4, k5, k6, k7] = await list.seed(store, 7);
          const first = await list.read(store, { limit: 3 });
          assert.deepEqual(first.items, [k7, k6, k5]);
          assert.equal(first.prev, null);
          assert.notEqual(first.next, null);
          const second = await list.read(store, { limit: 3, before: first.next! });
          assert.deepEqual(second.items, [k4, k3, k2]);
          assert.notEqual(second.prev, null);
          assert.notEqual(second.next, null);
          const last = await list.read(store, { limit: 3, before: second.next! });
          assert.deepEqual(last.items, [k1]);
          assert.equal(last.next, null);
          assert.notEqual(last.prev, null);
        }));

      test("prev walks back from the oldest page to the newest", () =>
        withStore(open, async (store) => {
          const [k1, k2, k3, k4, k5, k6, k7] = await list.seed(store, 7);
          const first = await list.read(store, { limit: 3 });
          const second = await list.read(store, { limit: 3, before: first.next! });
          const last = await list.read(store, { limit: 3, before: second.next! });
          assert.deepEqual(last.items, [k1]);
          const back = await list.read(store, { limit: 3, after: last.prev! });
          assert.deepEqual(back.items, [k4, k3, k2]);
          assert.notEqual(back.next, null);
          assert.notEqual(back.prev, null);
          const top = await list.read(store, { limit: 3, after: back.prev! });
          assert.deepEqual(top.items, [k7, k6, k5]);
          assert.equal(top.prev, null);
          assert.notEqual(top.next, null);
          assert.deepEqual((await list.read(store, { limit: 3, before: top.next! })).items, [k4, k3, k2]);
        }));

      test('after: "" gives the oldest page, and prev leads up from it', () =>
        withStore(open, async (store) => {
          const [k1, k2, k3, k4, k5, k6, k7] = await list.seed(store, 7);
          const oldest = await list.read(store, { limit: 3, after: "" });
          assert.deepEqual(oldest.items, [k3, k2, k1]);
          assert.equal(oldest.next, null);
          assert.notEqual(oldest.prev, null);
          const middle = await list.read(store, { limit: 3, after: oldest.prev! });
          assert.deepEqual(middle.items, [k6, k5, k4]);
          assert.notEqual(middle.next, null);
          assert.notEqual(middle.prev, null);
          const newest = await list.read(store, { limit: 3, after: middle.prev! });
          assert.deepEqual(newest.items, [k7]);
          assert.equal(newest.prev, null);
          assert.notEqual(newest.next, null);
          assert.deepEqual((await list.read(store, { limit: 3, before: newest.next! })).items, [k6, k5, k4]);
        }));

      test("a list that fills its pages exactly ends with next null", () =>
        withStore(open, async (store) => {
          const [k1, k2, k3, k4, k5, k6] = await list.seed(store, 6);
          const first = await list.read(store, { limit: 3 });
          assert.deepEqual(first.items, [k6, k5, k4]);
          const second = await list.read(store, { limit: 3, before: first.next! });
          assert.deepEqual(second.items, [k3, k2, k1]);
          assert.equal(second.next, null);
          const oldest = await list.read(store, { limit: 3, after: "" });
          assert.deepEqual(oldest.items, [k3, k2, k1]);
          const newest = await list.read(store, { limit: 3, after: oldest.prev! });
          assert.deepEqual(newest.items, [k6, k5, k4]);
          assert.equal(newest.prev, null);
        }));

      test("a short list is one page; an empty one has no items and no cursors", () =>
        withStore(open, async (store) => {
          assert.deepEqual(await list.read(store, { limit: 5 }), { items: [], next: null, prev: null });
          assert.deepEqual(await list.read(store, { limit: 5, after: "" }), { items: [], next: null, prev: null });
          const [k1, k2] = await list.seed(store, 2);
          assert.deepEqual(await list.read(store, { limit: 5 }), { items: [k2, k1], next: null, prev: null });
          assert.deepEqual(await list.read(store, { limit: 5, after: "" }), { items: [k2, k1], next: null, prev: null });
        }));
    });
  }
}
