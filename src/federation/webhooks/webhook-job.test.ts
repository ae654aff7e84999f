import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { RecordedRequest } from "../fetch/fake-network.test-support.ts";
import { alice, BOB_URI, createInteractionsBed, replyOf, type InteractionsBed } from "../interactions/interactions.test-support.ts";
import type { WebhookConfig } from "./webhook-config.ts";
import { handleWebhookJob, WEBHOOK_QUEUE } from "./webhook-job.ts";
import { DELIVERY_HEADER, EVENT_HEADER, verifyWebhookSignature } from "./webhook-signature.ts";

const HOOK_URL = "https://hooks.example/outpost";
const SLACK_URL = "https://chat.example/services/T000/B000/XXXX";
const SECRET = "a-shared-secret-of-some-length";

describe("webhooks", () => {
  let bed: InteractionsBed;
  afterEach(async () => {
    await bed?.close();
  });

  const setUp = async (webhooks: readonly WebhookConfig[]) => {
    bed = await createInteractionsBed({ options: { webhooks } });
  };
  const received = (url = HOOK_URL): RecordedRequest[] => bed.inbox.network.requestsTo(url);
  const respondWith = (url: string, statuses: number[]) => {
    bed.inbox.network.route(url, () => new Response(null, { status: statuses.shift() ?? 200 }));
  };
  const jsonHook: WebhookConfig = { url: HOOK_URL, events: ["reply", "mention", "follow"], secret: SECRET };

  it("POSTs a signed JSON event for a new reply, verifiable with the shared secret", async () => {
    await setUp([jsonHook]);
    respondWith(HOOK_URL, [204]);
    await bed.deliver(replyOf({ n: 1, content: "<p>Nice <script>alert(1)</script><b>post</b></p>" }));
    const [request] = received();
    assert.equal(request?.method, "POST");
    assert.equal(request?.headers.get(EVENT_HEADER), "reply");
    assert.match(request?.headers.get(DELIVERY_HEADER) ?? "", /^[0-9a-f-]{36}$/);
    const verified = verifyWebhookSignature({ secret: SECRET, headers: request!.headers, body: request!.body, now: bed.ctx.now() });
    assert.deepEqual(verified, { ok: true });
    assert.equal(verifyWebhookSignature({ secret: "another-secret-entirely", headers: request!.headers, body: request!.body, now: bed.ctx.now() }).ok, false);
    const body = JSON.parse(request!.body) as Record<string, any>;
    assert.equal(body.event, "reply");
    assert.equal(body.actor.uri, alice.uri);
    assert.equal(body.localActor.uri, BOB_URI);
    assert.equal(body.interaction.contentHtml, "<p>Nice <b>post</b></p>");
    assert.equal(body.interaction.contentText, "Nice post");
  });

  it("fires only for subscribed events and keeps private ones out unless asked", async () => {
    await setUp([{ ...jsonHook, events: ["like"] }, { url: SLACK_URL, events: ["reply"], secret: SECRET, includePrivate: true, format: "slack" }]);
    respondWith(HOOK_URL, []);
    respondWith(SLACK_URL, []);
    await bed.deliver(replyOf({ n: 2, to: [BOB_URI], cc: [] }));
    assert.equal(received(HOOK_URL).length, 0);
    const [slack] = received(SLACK_URL);
    const message = JSON.parse(slack!.body) as { text: string; blocks: unknown[] };
    assert.match(message.text, /alice .* replied to @bob/);
    assert.ok(message.blocks.length >= 2);
  });

  it("does not send a private reply to a webhook that did not ask for them", async () => {
    await setUp([jsonHook]);
    respondWith(HOOK_URL, []);
    await bed.deliver(replyOf({ n: 3, to: [BOB_URI], cc: [] }));
    assert.equal(received().length, 0);
  });

  it("retries after a 503 with the same delivery and body, freshly signed", async () => {
    await setUp([jsonHook]);
    respondWith(HOOK_URL, [503, 200]);
    await bed.deliver(replyOf({ n: 4 }));
    assert.equal(received().length, 1);
    assert.equal((await bed.ctx.store.jobs.counts()).pending, 1);
    bed.advance(5 * 60_000);
    await bed.runJobs();
    const [first, second] = received();
    assert.equal(second?.body, first?.body);
    assert.equal(second?.headers.get(DELIVERY_HEADER), first?.headers.get(DELIVERY_HEADER));
    assert.equal(verifyWebhookSignature({ secret: SECRET, headers: second!.headers, body: second!.body, now: bed.ctx.now() }).ok, true);
    assert.equal((await bed.ctx.store.jobs.counts()).pending, 0);
  });

  it("gives up at once on a refusal such as 404", async () => {
    await setUp([jsonHook]);
    respondWith(HOOK_URL, [404]);
    await bed.deliver(replyOf({ n: 5 }));
    bed.advance(60 * 60_000);
    await bed.runJobs();
    assert.equal(received().length, 1);
    assert.equal((await bed.ctx.store.jobs.counts()).failed, 1);
  });

  it("never reaches a private address unless the webhook allows it", async () => {
    const local = "http://127.0.0.1:9/hook";
    await setUp([{ url: local, events: ["reply"], secret: SECRET, allowPrivateAddresses: false }]);
    respondWith(local, []);
    await bed.deliver(replyOf({ n: 6 }));
    assert.equal(received(local).length, 0);
    assert.equal((await bed.ctx.store.jobs.counts()).failed, 1);
  });

  it("tells about a new follower once, and drops a delivery whose webhook was removed", async () => {
    await setUp([jsonHook]);
    respondWith(HOOK_URL, [503]);
    await bed.deliver({ id: `${alice.uri}#follows/1`, type: "Follow", actor: alice.uri, object: BOB_URI });
    const follow = JSON.parse(received()[0]!.body) as { event: string; action: string };
    assert.deepEqual([follow.event, follow.action], ["follow", "created"]);
    // The configuration changes before the retry: nothing is sent, nothing is left queued.
    const ctx = { ...bed.ctx, interactions: { webhooks: [] } };
    const [job] = await bed.ctx.store.jobs.claim({ queues: [WEBHOOK_QUEUE], limit: 1, workerId: "t", leaseMs: 60_000, now: new Date(Date.now() + 3_600_000) });
    assert.deepEqual(await handleWebhookJob(ctx, job!), { kind: "done" });
    assert.equal(received().length, 1);
  });
});
