import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildAccept,
  buildAdd,
  buildAnnounce,
  buildBlock,
  buildCreate,
  buildDelete,
  buildFollow,
  buildLike,
  buildMove,
  buildReject,
  buildRemove,
  buildTombstone,
  buildUndo,
  buildUpdate,
} from "./activities.ts";
import { normalizeActivity } from "./normalize.ts";
import { actorContext, AS_CONTEXT, objectContext, PUBLIC_COLLECTION } from "./vocabulary.ts";

const BOB = "https://outpost.example/users/bob";
const ALICE = "https://mastodon.example/users/alice";
const NOTE = {
  "@context": objectContext(),
  id: `${BOB}/objects/01J`,
  type: "Note",
  to: [PUBLIC_COLLECTION],
  cc: [`${BOB}/followers`],
  content: "<p>hi</p>",
};

describe("activity builders", () => {
  const cases: { name: string; doc: Record<string, unknown>; expected: Record<string, unknown> }[] = [
    {
      name: "Create copies the note's audience and hoists its context",
      doc: buildCreate({ id: `${BOB}/activities/1`, actor: BOB, object: NOTE, published: "2024-01-01T00:00:00Z" }),
      expected: {
        "@context": objectContext(),
        type: "Create",
        to: [PUBLIC_COLLECTION],
        cc: [`${BOB}/followers`],
        published: "2024-01-01T00:00:00Z",
      },
    },
    {
      name: "Create keeps explicit addressing",
      doc: buildCreate({ id: `${BOB}/activities/1`, actor: BOB, object: NOTE, to: [ALICE], cc: [] }),
      expected: { to: [ALICE], cc: [] },
    },
    {
      name: "Update of a profile goes to the public collection with the actor context",
      doc: buildUpdate({ id: `${BOB}#updates/1`, actor: BOB, object: { id: BOB, type: "Person", inbox: `${BOB}/inbox` } }),
      expected: { "@context": actorContext(), type: "Update", to: [PUBLIC_COLLECTION] },
    },
    {
      name: "Delete with a Tombstone",
      doc: buildDelete({
        id: `${BOB}/activities/2`,
        actor: BOB,
        object: buildTombstone({ id: NOTE.id, formerType: "Note", deleted: "2024-01-02T00:00:00Z" }),
        to: [PUBLIC_COLLECTION],
      }),
      expected: {
        "@context": AS_CONTEXT,
        type: "Delete",
        object: { id: NOTE.id, type: "Tombstone", formerType: "Note", deleted: "2024-01-02T00:00:00Z" },
      },
    },
    {
      name: "Follow",
      doc: buildFollow({ id: `${BOB}/activities/3`, actor: BOB, object: ALICE }),
      expected: { "@context": AS_CONTEXT, type: "Follow", object: ALICE, to: undefined },
    },
    {
      name: "Accept is addressed to the follower",
      doc: buildAccept({ id: `${BOB}/activities/4`, actor: BOB, object: { id: `${ALICE}#f`, type: "Follow", actor: ALICE, object: BOB } }),
      expected: { type: "Accept", to: [ALICE] },
    },
    {
      name: "Reject is addressed to the follower",
      doc: buildReject({ id: `${BOB}/activities/5`, actor: BOB, object: { id: `${ALICE}#f`, type: "Follow", actor: ALICE, object: BOB } }),
      expected: { type: "Reject", to: [ALICE] },
    },
    {
      name: "Undo reaches the undone activity's audience",
      doc: buildUndo({
        id: `${BOB}/activities/6`,
        actor: BOB,
        object: { id: `${BOB}/activities/5`, type: "Announce", actor: BOB, object: NOTE.id, to: [PUBLIC_COLLECTION], cc: [ALICE] },
      }),
      expected: { type: "Undo", to: [PUBLIC_COLLECTION], cc: [ALICE] },
    },
    {
      name: "Like",
      doc: buildLike({ id: `${BOB}/activities/7`, actor: BOB, object: `${ALICE}/statuses/1`, to: [ALICE] }),
      expected: { type: "Like", object: `${ALICE}/statuses/1`, to: [ALICE] },
    },
    {
      name: "Announce",
      doc: buildAnnounce({ id: `${BOB}/activities/8`, actor: BOB, object: `${ALICE}/statuses/1`, to: [PUBLIC_COLLECTION], cc: [ALICE, `${BOB}/followers`], published: "2024-01-03T00:00:00Z" }),
      expected: { type: "Announce", cc: [ALICE, `${BOB}/followers`] },
    },
    {
      name: "Block",
      doc: buildBlock({ id: `${BOB}/activities/9`, actor: BOB, object: ALICE, to: [ALICE] }),
      expected: { type: "Block", object: ALICE },
    },
    {
      name: "Move",
      doc: buildMove({ id: `${BOB}/activities/10`, actor: BOB, object: BOB, target: "https://new.example/users/bob", to: [`${BOB}/followers`] }),
      expected: { type: "Move", object: BOB, target: "https://new.example/users/bob" },
    },
    {
      name: "Add to featured",
      doc: buildAdd({ id: `${BOB}/activities/11`, actor: BOB, object: NOTE.id, target: `${BOB}/collections/featured` }),
      expected: { type: "Add", target: `${BOB}/collections/featured` },
    },
    {
      name: "Remove from featured",
      doc: buildRemove({ id: `${BOB}/activities/12`, actor: BOB, object: NOTE.id, target: `${BOB}/collections/featured` }),
      expected: { type: "Remove", target: `${BOB}/collections/featured` },
    },
  ];

  for (const { name, doc, expected } of cases) {
    it(name, () => {
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(doc[key], value, key);
      assert.equal(doc.actor, BOB);
      const embedded = doc.object;
      if (typeof embedded === "object" && embedded !== null) {
        assert.equal("@context" in embedded, false, "embedded object carries no @context");
      }
      const result = normalizeActivity(doc);
      assert.ok(result.ok, result.ok ? "" : result.message);
      assert.equal(result.value.id, doc.id);
      assert.equal(result.value.type, doc.type);
    });
  }

  it("does not modify the object it embeds", () => {
    const note = structuredClone(NOTE);
    buildCreate({ id: `${BOB}/activities/1`, actor: BOB, object: note });
    assert.deepEqual(note, NOTE);
  });
});
