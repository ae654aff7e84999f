import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { PUBLIC_COLLECTION } from "../../../protocol/vocabulary.ts";
import {
  createInboxTestBed,
  handlerContext,
  normalized,
  noteRecord,
  readFixture,
  remoteActor,
  type InboxTestBed,
} from "../inbox.test-support.ts";
import { handleCreate } from "./create.ts";

const alice = remoteActor({ username: "alice" });
const BOB = "https://outpost.example/users/bob";
const BOB_NOTE = "https://outpost.example/users/bob/objects/01JCJ3T6K8Q8Y7M5N4P3R2S1T0";
const NOTE_ID = "https://mastodon.example/users/alice/statuses/113456789012345678";

/** A Create of a public Note by alice that neither mentions nor addresses anyone here. */
function plainCreate(): Record<string, unknown> {
  const activity = readFixture("mastodon/create-note-public.json");
  const object = activity.object as Record<string, unknown>;
  const cc = [alice.followers];
  return { ...activity, cc, object: { ...object, cc, tag: [], content: "<p>Hello, world</p>", contentMap: undefined } };
}

function withObject(activity: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  return { ...activity, object: { ...(activity.object as Record<string, unknown>), ...changes } };
}

describe("handleCreate", () => {
  let bed: InboxTestBed;

  beforeEach(async () => {
    bed = await createInboxTestBed();
    await bed.addLocal({ username: "bob" });
    await bed.storeRemote(alice);
  });

  afterEach(async () => {
    await bed.close();
  });

  const run = (activity: Record<string, unknown>) =>
    handleCreate(handlerContext(bed.ctx, { signerUri: alice.uri }), normalized(activity));

  it("keeps a post that mentions a local actor, whole and unsanitized", async () => {
    const activity = readFixture("mastodon/create-note-public.json");
    assert.equal((await run(activity)).kind, "applied");
    const stored = await bed.ctx.store.objects.get(NOTE_ID);
    assert.ok(stored);
    assert.equal(stored.attributedTo, alice.uri);
    assert.equal(stored.visibility, "public");
    assert.equal(stored.local, false);
    assert.deepEqual(stored.recipients.sort(), [alice.followers, BOB].sort());
    assert.equal(stored.document.content, (activity.object as Record<string, unknown>).content);
    assert.ok(stored.document.replies, "extension properties are kept");
  });

  it("keeps a direct message and strips its blind recipients from the stored document", async () => {
    const note: Record<string, unknown> = { ...readFixture("mastodon/note-direct.json"), bcc: ["https://outpost.example/users/carol"] };
    const activity = {
      id: `${note.id as string}/activity`,
      type: "Create",
      actor: alice.uri,
      to: note.to,
      object: note,
    };
    assert.equal((await run(activity)).kind, "applied");
    const stored = await bed.ctx.store.objects.get(note.id as string);
    assert.equal(stored?.visibility, "direct");
    assert.equal(stored?.document.bcc, undefined);
    assert.ok(stored?.recipients.includes("https://outpost.example/users/carol"));
  });

  it("ignores a post that concerns nobody here", async () => {
    assert.equal((await run(plainCreate())).kind, "ignored");
    assert.equal(await bed.ctx.store.objects.get(NOTE_ID), null);
  });

  it("keeps a post by an author a local actor follows", async () => {
    await bed.ctx.store.follows.put({
      followerUri: BOB,
      followeeUri: alice.uri,
      activityUri: `${BOB}/activities/follow-1`,
      state: "accepted",
      createdAt: new Date().toISOString(),
    });
    assert.equal((await run(plainCreate())).kind, "applied");
    assert.notEqual(await bed.ctx.store.objects.get(NOTE_ID), null);
  });

  it("keeps a reply to a local post", async () => {
    await bed.ctx.store.objects.put(noteRecord({ uri: BOB_NOTE, attributedTo: BOB, local: true }));
    assert.equal((await run(withObject(plainCreate(), { inReplyTo: BOB_NOTE }))).kind, "applied");
    assert.equal((await bed.ctx.store.objects.get(NOTE_ID))?.inReplyTo, BOB_NOTE);
  });

  it("keeps object types it has never heard of", async () => {
    const activity = withObject(readFixture("mastodon/create-note-public.json"), { type: "Recipe", ingredients: ["tea"] });
    assert.equal((await run(activity)).kind, "applied");
    const stored = await bed.ctx.store.objects.get(NOTE_ID);
    assert.equal(stored?.type, "Recipe");
    assert.deepEqual(stored?.document.ingredients, ["tea"]);
  });

  it("ignores an object attributed to someone on another server", async () => {
    const activity = withObject(readFixture("mastodon/create-note-public.json"), {
      attributedTo: "https://other.example/users/carol",
    });
    assert.equal((await run(activity)).kind, "ignored");
    assert.equal(await bed.ctx.store.objects.get(NOTE_ID), null);
  });

  it("fetches an embedded object from its own origin and keeps what that origin serves", async () => {
    const foreignId = "https://notes.mastodon-media.example/113456789012345678";
    const served = {
      ...(readFixture("mastodon/create-note-public.json").object as Record<string, unknown>),
      id: foreignId,
      content: "<p>as served by its origin</p>",
    };
    bed.network.serveJson(foreignId, served);
    const activity = withObject(readFixture("mastodon/create-note-public.json"), {
      id: foreignId,
      content: "<p>as claimed by the sender</p>",
    });
    assert.equal((await run(activity)).kind, "applied");
    assert.equal((await bed.ctx.store.objects.get(foreignId))?.document.content, "<p>as served by its origin</p>");
    assert.equal(bed.network.requestsTo(foreignId).length, 1);
  });

  it("retries when the object's origin cannot be reached", async () => {
    const foreignId = "https://down.example/notes/1";
    bed.network.route(foreignId, () => {
      throw new TypeError("connection refused");
    });
    const activity = { ...readFixture("mastodon/create-note-public.json"), object: foreignId, to: [PUBLIC_COLLECTION, BOB] };
    assert.equal((await run(activity)).kind, "retry");
  });
});
