import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import {
  createInboxTestBed,
  handlerContext,
  normalized,
  noteRecord,
  readFixture,
  remoteActor,
  type InboxTestBed,
} from "../inbox.test-support.ts";
import { handleDelete } from "./delete.ts";

const alice = remoteActor({ username: "alice" });
const carol = remoteActor({ username: "carol" });
const BOB = "https://outpost.example/users/bob";
const ALICE_NOTE = "https://mastodon.example/users/alice/statuses/113456789012345678";
const BOB_NOTE = "https://outpost.example/users/bob/objects/01JCJ3T6K8Q8Y7M5N4P3R2S1T0";

describe("handleDelete", () => {
  let bed: InboxTestBed;

  beforeEach(async () => {
    bed = await createInboxTestBed();
    await bed.addLocal({ username: "bob" });
    await bed.ctx.store.objects.put(noteRecord({ uri: ALICE_NOTE, attributedTo: alice.uri, local: false }));
    await bed.ctx.store.objects.put(noteRecord({ uri: BOB_NOTE, attributedTo: BOB, local: true }));
  });

  afterEach(async () => {
    await bed.close();
  });

  const run = (activity: Record<string, unknown>, signerUri: string) =>
    handleDelete(handlerContext(bed.ctx, { signerUri }), normalized(activity));
  const deleteNote = () => readFixture("mastodon/delete-note.json");

  it("turns an object its author deletes into a tombstone", async () => {
    assert.equal((await run(deleteNote(), alice.uri)).kind, "applied");
    const stored = await bed.ctx.store.objects.get(ALICE_NOTE);
    assert.notEqual(stored?.deletedAt, null);
    assert.equal(stored?.document.type, "Tombstone");
    assert.equal(stored?.formerType, "Note");
  });

  it("ignores a Delete by someone other than the author", async () => {
    const forged = { ...deleteNote(), id: `${carol.uri}#delete/1`, actor: carol.uri };
    assert.equal((await run(forged, carol.uri)).kind, "ignored");
    assert.equal((await bed.ctx.store.objects.get(ALICE_NOTE))?.deletedAt, null);
  });

  it("ignores a remote Delete of a local object", async () => {
    const forged = { ...deleteNote(), object: BOB_NOTE };
    assert.equal((await run(forged, alice.uri)).kind, "ignored");
    assert.equal((await bed.ctx.store.objects.get(BOB_NOTE))?.deletedAt, null);
  });

  it("ignores a Delete of an object never seen", async () => {
    const outcome = await run({ ...deleteNote(), object: "https://mastodon.example/users/alice/statuses/1" }, alice.uri);
    assert.equal(outcome.kind, "ignored");
  });

  it("forgets an actor that deleted itself, with its follows, reactions, objects and keys", async () => {
    await bed.storeRemote(carol);
    const now = new Date().toISOString();
    const carolNote = "https://mastodon.example/users/carol/statuses/1";
    await bed.ctx.store.objects.put(noteRecord({ uri: carolNote, attributedTo: carol.uri, local: false }));
    await bed.ctx.store.follows.put({ followerUri: carol.uri, followeeUri: BOB, activityUri: `${carol.uri}#f1`, state: "accepted", createdAt: now });
    await bed.ctx.store.follows.put({ followerUri: BOB, followeeUri: carol.uri, activityUri: `${BOB}/activities/f2`, state: "accepted", createdAt: now });
    await bed.ctx.store.reactions.add({ activityUri: `${carol.uri}#likes/1`, type: "Like", actorUri: carol.uri, objectUri: BOB_NOTE, createdAt: now });

    assert.equal((await run(readFixture("mastodon/delete-actor.json"), carol.uri)).kind, "applied");
    assert.equal(await bed.ctx.store.actors.get(carol.uri), null);
    assert.equal(await bed.ctx.store.keys.get(carol.keyId), null);
    assert.equal(await bed.ctx.store.objects.get(carolNote), null);
    assert.equal(await bed.ctx.store.follows.get(carol.uri, BOB), null);
    assert.equal(await bed.ctx.store.follows.get(BOB, carol.uri), null);
    assert.equal(await bed.ctx.store.reactions.count(BOB_NOTE, "Like"), 0);
  });
});
