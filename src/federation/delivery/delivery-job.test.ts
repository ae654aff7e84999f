import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createTestContext } from "../../../test/support/federation-context.ts";
import { verifyRequest } from "../../crypto/verify-request.ts";
import type { JobRecord } from "../../store/records.ts";
import { createLocalActor, localActorKey } from "../actors/local-actors.ts";
import { createFakeNetwork, type FakeRoute } from "../fetch/fake-network.test-support.ts";
import { acquireSigningPool } from "../signing/signing-pool.ts";
import { DELIVERY_QUEUE, handleDeliveryJob, type DeliveryJobPayload } from "./delivery-job.ts";
import { HOST_FAILURE_THRESHOLD, hostStatus, recordHostFailure } from "./host-breaker.ts";

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

const INBOX = "https://remote.example/inbox";
const BOB = "https://remote.example/users/bob";
const CAROL = "https://remote.example/users/carol";
const DAY = 24 * 3600 * 1000;

async function setup(route: FakeRoute = () => new Response(null, { status: 202 })) {
  const net = createFakeNetwork();
  net.route(INBOX, route);
  const clock = { now: new Date("2025-03-01T12:00:00Z") };
  const ctx = await createTestContext({ fetch: net.fetch, now: () => clock.now });
  closers.push(() => ctx.store.close());
  const created = await createLocalActor(ctx, { username: "alice" });
  assert.ok(created.ok);
  const alice = created.actor;
  const activityUri = ctx.uris.activity("alice", "01");
  await ctx.store.activities.add({
    uri: activityUri,
    type: "Create",
    actorUri: alice.uri,
    objectUri: ctx.uris.object("alice", "01"),
    targetUri: null,
    local: true,
    visibility: "direct",
    recipients: [BOB, CAROL],
    document: {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: activityUri,
      type: "Create",
      actor: alice.uri,
      to: [BOB],
      bcc: [CAROL],
      object: { id: ctx.uris.object("alice", "01"), type: "Note", content: "psst", to: [BOB], bcc: [CAROL] },
    },
    published: clock.now.toISOString(),
  });
  for (const follower of [BOB, CAROL]) {
    await ctx.store.follows.put({ followerUri: follower, followeeUri: alice.uri, activityUri: `${follower}#follow`, state: "accepted", createdAt: clock.now.toISOString() });
  }
  const job = (payload: unknown, overrides: Partial<JobRecord> = {}): JobRecord => ({
    id: "job-1",
    queue: DELIVERY_QUEUE,
    payload,
    status: "pending",
    attempts: 0,
    runAt: clock.now.toISOString(),
    createdAt: clock.now.toISOString(),
    lastError: null,
    dedupeKey: null,
    groupKey: activityUri,
    ...overrides,
  });
  const payload: DeliveryJobPayload = { activityUri, inbox: INBOX, signerUri: alice.uri, recipientUris: [BOB, CAROL] };
  return { net, ctx, clock, alice, job, payload };
}

describe("handleDeliveryJob", () => {
  it("delivers the stored activity without its hidden recipients", async () => {
    const { net, ctx, job, payload } = await setup();
    const outcome = await handleDeliveryJob(ctx, job(payload));
    assert.deepEqual(outcome, { kind: "done" });
    const sent = JSON.parse(net.requests[0]!.body);
    assert.equal(sent.id, payload.activityUri);
    assert.equal(sent.bcc, undefined);
    assert.equal(sent.object.bcc, undefined);
    assert.deepEqual(sent.to, [BOB]);
    assert.match(net.requests[0]!.headers.get("signature") ?? "", /keyId="https:\/\/local\.test\/users\/alice#main-key"/);
  });

  it("drops the recipients as followers when their inbox is gone", async () => {
    const { ctx, alice, job, payload } = await setup(() => new Response("", { status: 410 }));
    const outcome = await handleDeliveryJob(ctx, job(payload));
    assert.deepEqual(outcome, { kind: "done" });
    assert.equal(await ctx.store.follows.get(BOB, alice.uri), null);
    assert.equal(await ctx.store.follows.get(CAROL, alice.uri), null);
  });

  it("retries a server error later, no earlier than Retry-After asks", async () => {
    const { ctx, clock, job, payload } = await setup(() => new Response("", { status: 503, headers: { "retry-after": "3600" } }));
    const outcome = await handleDeliveryJob(ctx, job(payload));
    assert.equal(outcome.kind, "retry");
    assert.ok(outcome.kind === "retry" && outcome.at.getTime() - clock.now.getTime() >= 3600_000);
    assert.match(outcome.kind === "retry" ? outcome.error : "", /503/);
  });

  it("fails a refused delivery without retrying", async () => {
    const { ctx, job, payload } = await setup(() => new Response("bad signature", { status: 401 }));
    const outcome = await handleDeliveryJob(ctx, job(payload));
    assert.equal(outcome.kind, "fail");
    assert.match(outcome.kind === "fail" ? outcome.error : "", /401.*bad signature/);
  });

  it("gives up once the delivery is older than the maximum age", async () => {
    const { ctx, clock, job, payload } = await setup(() => new Response("", { status: 500 }));
    const queued = new Date(clock.now.getTime() - ctx.config.deliveryMaxAgeMs - DAY).toISOString();
    const outcome = await handleDeliveryJob(ctx, job(payload, { createdAt: queued, attempts: 30 }));
    assert.equal(outcome.kind, "fail");
  });

  it("postpones deliveries to a backed-off host without contacting it", async () => {
    const { net, ctx, job, payload } = await setup();
    for (let i = 0; i < HOST_FAILURE_THRESHOLD; i++) await recordHostFailure(ctx, { host: "remote.example" });
    const status = await hostStatus(ctx, { host: "remote.example" });
    assert.equal(status.open, false);
    const outcome = await handleDeliveryJob(ctx, job(payload));
    assert.equal(outcome.kind, "retry");
    assert.equal(outcome.kind === "retry" && !status.open && outcome.at.getTime(), !status.open && status.until.getTime());
    assert.equal(net.requests.length, 0);
  });

  it("backs a host off after repeated failures, and a success clears it", async () => {
    let healthy = false;
    const { ctx, clock, job, payload } = await setup(() => new Response("", { status: healthy ? 202 : 502 }));
    for (let i = 0; i < HOST_FAILURE_THRESHOLD; i++) {
      assert.equal((await handleDeliveryJob(ctx, job(payload, { attempts: i }))).kind, "retry");
    }
    assert.equal((await hostStatus(ctx, { host: "remote.example" })).open, false);
    clock.now = new Date(clock.now.getTime() + DAY / 2);
    healthy = true;
    assert.deepEqual(await handleDeliveryJob(ctx, job(payload)), { kind: "done" });
    assert.equal((await ctx.store.hosts.get("remote.example"))?.failures ?? 0, 0);
  });

  for (const [name, payload] of [
    ["no payload", null],
    ["a missing inbox", { activityUri: "x", signerUri: "y", recipientUris: [] }],
    ["an inbox that is not a URL", { activityUri: "x", inbox: "nope", signerUri: "y", recipientUris: [] }],
    ["recipients that are not a list", { activityUri: "x", inbox: INBOX, signerUri: "y", recipientUris: "z" }],
  ] as const) {
    it(`fails a job with ${name} instead of crashing`, async () => {
      const { net, ctx, job } = await setup();
      const outcome = await handleDeliveryJob(ctx, job(payload));
      assert.equal(outcome.kind, "fail");
      assert.match(outcome.kind === "fail" ? outcome.error : "", /Malformed delivery payload/);
      assert.equal(net.requests.length, 0);
    });
  }

  it("fails a job whose activity is no longer stored", async () => {
    const { net, ctx, job, payload } = await setup();
    const outcome = await handleDeliveryJob(ctx, job({ ...payload, activityUri: `${payload.activityUri}-gone` }));
    assert.equal(outcome.kind, "fail");
    assert.equal(net.requests.length, 0);
  });

  it("fails a job whose signer has no key", async () => {
    const { net, ctx, job, payload } = await setup();
    const outcome = await handleDeliveryJob(ctx, job({ ...payload, signerUri: BOB }));
    assert.equal(outcome.kind, "fail");
    assert.equal(net.requests.length, 0);
  });

  it("signs on the process's signing threads while they are held, verifiably", async () => {
    const { net, ctx, alice, job, payload } = await setup();
    const lease = acquireSigningPool();
    try {
      assert.deepEqual(await handleDeliveryJob(ctx, job(payload)), { kind: "done" });
    } finally {
      await lease.release();
    }
    const request = net.requests[0]!;
    const key = await localActorKey(ctx, alice.uri);
    const result = await verifyRequest({
      method: "POST",
      url: INBOX,
      headers: request.headers,
      body: new TextEncoder().encode(request.body),
      now: ctx.now(),
      resolveKey: async () => ({ publicKeyPem: key.publicKeyPem, ownerUri: alice.uri }),
    });
    assert.equal(result.ok, true, JSON.stringify(result));
  });

  it("sends each activity its own body, however many deliveries share it", async () => {
    const { net, ctx, alice, job, payload } = await setup();
    const second = ctx.uris.activity("alice", "02");
    await ctx.store.activities.add({
      uri: second,
      type: "Delete",
      actorUri: alice.uri,
      objectUri: ctx.uris.object("alice", "01"),
      targetUri: null,
      local: true,
      visibility: "direct",
      recipients: [BOB],
      document: { "@context": "https://www.w3.org/ns/activitystreams", id: second, type: "Delete", actor: alice.uri, to: [BOB], object: ctx.uris.object("alice", "01") },
      published: ctx.now().toISOString(),
    });
    await Promise.all([handleDeliveryJob(ctx, job(payload)), handleDeliveryJob(ctx, job(payload))]);
    await handleDeliveryJob(ctx, job({ ...payload, activityUri: second }));
    await handleDeliveryJob(ctx, job(payload));
    assert.deepEqual(
      net.requests.map((request) => JSON.parse(request.body).type),
      ["Create", "Create", "Delete", "Create"],
    );
  });

  it("delivers an activity stored after a delivery first looked for it", async () => {
    const { net, ctx, alice, job, payload } = await setup();
    const later = ctx.uris.activity("alice", "03");
    assert.equal((await handleDeliveryJob(ctx, job({ ...payload, activityUri: later }))).kind, "fail");
    await ctx.store.activities.add({
      uri: later,
      type: "Create",
      actorUri: alice.uri,
      objectUri: null,
      targetUri: null,
      local: true,
      visibility: "direct",
      recipients: [BOB],
      document: { id: later, type: "Create", actor: alice.uri, to: [BOB] },
      published: ctx.now().toISOString(),
    });
    assert.deepEqual(await handleDeliveryJob(ctx, job({ ...payload, activityUri: later })), { kind: "done" });
    assert.equal(JSON.parse(net.requests[0]!.body).id, later);
  });
});
