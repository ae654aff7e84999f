import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/federation-context.ts";
import { note, remoteActor } from "../../store/contract/fixtures.ts";
import type { InteractionKind, InteractionRecord } from "../../store/records.ts";
import { loadInteractionsView, renderInteractions } from "./render.ts";

const BOB = "https://local.test/users/bob";
const TARGET = `${BOB}/objects/01JCJ3T6K8Q8Y7M5N4P3R2S1T0`;
const carol = remoteActor("carol", { name: "Carol" });
const dan = remoteActor("dan", { name: "Dan" });

function interaction(n: number, kind: InteractionKind, actorUri: string, overrides: Partial<InteractionRecord> = {}): InteractionRecord {
  const uri = `${actorUri}/things/${n}`;
  return {
    uri,
    kind,
    targetUri: TARGET,
    localActorUri: BOB,
    actorUri,
    content: kind === "reply" ? `<p>reply ${n}</p>` : null,
    published: `2024-11-12T10:0${n}:00.000Z`,
    updated: null,
    visibility: "public",
    document: { id: uri },
    createdAt: `2024-11-12T10:0${n}:00.000Z`,
    deletedAt: null,
    ...overrides,
  };
}

describe("renderInteractions", () => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createTestContext();
    await ctx.store.objects.put(note(TARGET, BOB));
    await ctx.store.actors.put(carol);
    await ctx.store.actors.put(dan);
    const put = (record: InteractionRecord) => ctx.store.interactions.put(record);
    await put(interaction(1, "reply", carol.uri));
    await put(interaction(2, "reply", dan.uri, { visibility: "unlisted" }));
    await put(interaction(3, "reply", carol.uri, { visibility: "direct" }));
    await put(interaction(4, "reply", dan.uri, { deletedAt: "2024-11-12T11:00:00.000Z" }));
    await put(interaction(5, "like", carol.uri));
    await put(interaction(6, "boost", dan.uri));
    await put(interaction(7, "quote", dan.uri, { content: "<p>quoted</p>" }));
  });
  afterEach(async () => {
    await ctx.store.close();
  });

  it("lists public and unlisted replies oldest first, with counts of every kind", async () => {
    const view = await loadInteractionsView(ctx, { targetUrl: TARGET });
    assert.deepEqual(view.replies.map((reply) => reply.contentHtml), ["<p>reply 1</p>", "<p>reply 2</p>"]);
    assert.deepEqual(view.counts, { replies: 2, likes: 1, boosts: 1, quotes: 1 });
    const html = await renderInteractions(ctx, { targetUrl: TARGET });
    assert.ok(html.indexOf("reply 1") < html.indexOf("reply 2"));
    assert.ok(!html.includes("reply 3"));
    assert.ok(!html.includes("reply 4"));
  });

  it("lists the newest first when asked, and says when more replies exist", async () => {
    const view = await loadInteractionsView(ctx, { targetUrl: TARGET, order: "newest", limit: 1 });
    assert.deepEqual(view.replies.map((reply) => reply.contentHtml), ["<p>reply 2</p>"]);
    assert.equal(view.hasMoreReplies, true);
    const oldest = await loadInteractionsView(ctx, { targetUrl: TARGET, limit: 1 });
    assert.deepEqual(oldest.replies.map((reply) => reply.contentHtml), ["<p>reply 1</p>"]);
    assert.equal(oldest.hasMoreReplies, true);
  });

  it("leaves out replies of an actor the author blocked since", async () => {
    await ctx.store.blocks.put({ activityUri: `${BOB}#blocks/1`, actorUri: BOB, targetUri: dan.uri, createdAt: "2024-11-12T12:00:00.000Z" });
    const view = await loadInteractionsView(ctx, { targetUrl: TARGET });
    assert.deepEqual(view.replies.map((reply) => reply.author.name), ["Carol"]);
  });

  it("shows nothing for a post that is not public or was deleted", async () => {
    await ctx.store.objects.put(note(TARGET, BOB, { visibility: "followers" }));
    assert.deepEqual((await loadInteractionsView(ctx, { targetUrl: TARGET })).counts, { replies: 0, likes: 0, boosts: 0, quotes: 0 });
    await ctx.store.objects.put(note(TARGET, BOB, { deletedAt: "2024-11-13T00:00:00.000Z" }));
    assert.equal((await loadInteractionsView(ctx, { targetUrl: TARGET })).replies.length, 0);
  });
});
