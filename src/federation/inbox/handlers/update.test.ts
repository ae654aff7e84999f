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
import { handleUpdate } from "./update.ts";

const alice = remoteActor({ username: "alice" });
const carol = remoteActor({ username: "carol" });
const NOTE_ID = "https://mastodon.example/users/alice/statuses/113456789012345678";

function editOf(params: { content: string; updated?: string; actor?: string }): Record<string, unknown> {
  const actor = params.actor ?? alice.uri;
  const object: Record<string, unknown> = {
    id: NOTE_ID,
    type: "Note",
    attributedTo: alice.uri,
    content: params.content,
    published: "2024-11-12T09:30:00Z",
    to: ["https://www.w3.org/ns/activitystreams#Public"],
    cc: [alice.followers],
  };
  if (params.updated !== undefined) object.updated = params.updated;
  return {
    id: `${NOTE_ID}#updates/${params.updated ?? "none"}`,
    type: "Update",
    actor,
    to: ["https://www.w3.org/ns/activitystreams#Public"],
    object,
  };
}

describe("handleUpdate", () => {
  let bed: InboxTestBed;

  beforeEach(async () => {
    bed = await createInboxTestBed();
    await bed.addLocal({ username: "bob" });
    await bed.storeRemote(alice);
    await bed.ctx.store.objects.put(
      noteRecord({ uri: NOTE_ID, attributedTo: alice.uri, local: false, content: "<p>first</p>", updated: "2024-11-12T10:00:00Z" }),
    );
  });

  afterEach(async () => {
    await bed.close();
  });

  const run = (activity: Record<string, unknown>, signerUri = alice.uri) =>
    handleUpdate(handlerContext(bed.ctx, { signerUri }), normalized(activity));
  const content = async () => (await bed.ctx.store.objects.get(NOTE_ID))?.document.content;

  it("replaces a post with its newer edit", async () => {
    const outcome = await run(editOf({ content: "<p>second</p>", updated: "2024-11-12T11:00:00Z" }));
    assert.equal(outcome.kind, "applied");
    assert.equal(await content(), "<p>second</p>");
    assert.equal((await bed.ctx.store.objects.get(NOTE_ID))?.updated, "2024-11-12T11:00:00Z");
  });

  it("ignores an edit older than the stored version", async () => {
    const outcome = await run(editOf({ content: "<p>stale</p>", updated: "2024-11-12T09:45:00Z" }));
    assert.equal(outcome.kind, "ignored");
    assert.equal(await content(), "<p>first</p>");
  });

  it("ignores an edit by someone other than the author", async () => {
    await bed.storeRemote(carol);
    const forged = editOf({ content: "<p>forged</p>", updated: "2024-11-12T12:00:00Z", actor: carol.uri });
    (forged.object as Record<string, unknown>).attributedTo = carol.uri;
    assert.equal((await run(forged, carol.uri)).kind, "ignored");
    assert.equal(await content(), "<p>first</p>");
  });

  it("ignores an edit of a deleted post", async () => {
    await bed.ctx.store.objects.tombstone(NOTE_ID, {
      deletedAt: "2024-11-12T10:30:00Z",
      formerType: "Note",
      tombstone: { id: NOTE_ID, type: "Tombstone" },
    });
    const outcome = await run(editOf({ content: "<p>back</p>", updated: "2024-11-12T11:00:00Z" }));
    assert.equal(outcome.kind, "ignored");
    assert.equal((await bed.ctx.store.objects.get(NOTE_ID))?.document.type, "Tombstone");
  });

  it("refreshes the profile of an actor updating itself", async () => {
    const update = readFixture("mastodon/update-person.json");
    const person = { ...(update.object as Record<string, unknown>), publicKey: alice.document.publicKey };
    assert.equal((await run({ ...update, object: person })).kind, "applied");
    assert.equal((await bed.ctx.store.actors.get(alice.uri))?.name, "Alice (she/her)");
  });

  it("ignores an actor's Update of another actor's profile", async () => {
    await bed.storeRemote(carol);
    const update = readFixture("mastodon/update-person.json");
    const forged = {
      ...update,
      id: `${carol.uri}#updates/1`,
      actor: carol.uri,
      object: { ...(update.object as Record<string, unknown>), name: "Not Alice", publicKey: alice.document.publicKey },
    };
    assert.equal((await run(forged, carol.uri)).kind, "ignored");
    assert.equal((await bed.ctx.store.actors.get(alice.uri))?.name, "alice");
  });
});
