import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { InboxPlugin, InboxPluginEvent } from "./plugins.ts";
import { createInboxTestBed, jobRecord, normalized, readFixture, type InboxTestBed } from "./inbox.test-support.ts";
import {
  handleInboxPluginJob,
  INBOX_PLUGIN_QUEUE,
  pluginMatches,
  runInboxPlugins,
  type InboxPluginJobPayload,
} from "./plugin-runner.ts";

const BOB = "https://outpost.example/users/bob";
const like = normalized(readFixture("mastodon/like.json"));

function plugin(filters: Partial<InboxPlugin>): InboxPlugin {
  return { name: "p", types: "*", handle: async () => {}, ...filters };
}

describe("pluginMatches", () => {
  const matches = (filters: Partial<InboxPlugin>, localRecipients: string[] = [BOB]) =>
    pluginMatches({ plugin: plugin(filters), activity: like, localRecipients, localUsernames: localRecipients.length > 0 ? ["bob"] : [] });

  it("selects by activity type", () => {
    assert.equal(matches({ types: ["Like"] }), true);
    assert.equal(matches({ types: ["Create", "Announce"] }), false);
    assert.equal(matches({ types: "*" }), true);
  });

  it("selects by local recipient, named by username in any case or by URI", () => {
    assert.equal(matches({ localActors: ["Bob"] }), true);
    assert.equal(matches({ localActors: [BOB] }), true);
    assert.equal(matches({ localActors: ["carol"] }), false);
    assert.equal(matches({ localActors: ["bob"] }, []), false);
  });

  it("selects by the host of the activity's actor", () => {
    assert.equal(matches({ remoteDomains: ["mastodon.example"] }), true);
    assert.equal(matches({ remoteDomains: ["MASTODON.example"] }), true);
    assert.equal(matches({ remoteDomains: ["other.example"] }), false);
  });

  it("requires every filter given to match", () => {
    assert.equal(matches({ types: ["Like"], localActors: ["bob"], remoteDomains: ["other.example"] }), false);
    assert.equal(matches({ types: ["Like"], localActors: ["bob"], remoteDomains: ["mastodon.example"] }), true);
  });
});

describe("runInboxPlugins and handleInboxPluginJob", () => {
  let bed: InboxTestBed;
  let calls: string[];
  let failuresLeft: number;

  const flaky: InboxPlugin = {
    name: "flaky",
    types: ["Like"],
    async handle() {
      calls.push("flaky");
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error("chat server unavailable");
      }
    },
  };
  const steady: InboxPlugin = {
    name: "steady",
    types: "*",
    async handle(event: InboxPluginEvent) {
      calls.push(`steady:${event.activity.type}`);
    },
  };
  const createOnly: InboxPlugin = {
    name: "create-only",
    types: ["Create"],
    async handle() {
      calls.push("create-only");
    },
  };

  beforeEach(async () => {
    calls = [];
    failuresLeft = 0;
    bed = await createInboxTestBed({ plugins: [flaky, steady, createOnly] });
  });

  afterEach(async () => {
    await bed.close();
  });

  const event = { activity: like, localRecipients: [BOB], signerUri: like.actor };
  const retryPayload: InboxPluginJobPayload = {
    plugin: "flaky",
    activity: like.raw,
    localRecipients: [BOB],
    signerUri: like.actor,
  };

  it("runs the matching plugins only", async () => {
    await runInboxPlugins(bed.ctx, event);
    assert.deepEqual(calls, ["flaky", "steady:Like"]);
    assert.equal((await bed.ctx.store.jobs.counts()).pending, 0);
  });

  it("queues a retry for a failing plugin without holding up the others", async () => {
    failuresLeft = 1;
    await runInboxPlugins(bed.ctx, event);
    assert.deepEqual(calls, ["flaky", "steady:Like"]);
    assert.equal((await bed.ctx.store.jobs.counts()).pending, 1);
    assert.deepEqual(bed.ctx.queuedNotifications, [INBOX_PLUGIN_QUEUE]);
  });

  it("finishes a retry job once the plugin succeeds", async () => {
    const outcome = await handleInboxPluginJob(bed.ctx, jobRecord({ queue: INBOX_PLUGIN_QUEUE, payload: retryPayload }));
    assert.deepEqual(outcome, { kind: "done" });
    assert.deepEqual(calls, ["flaky"]);
  });

  it("retries a still failing plugin later, then gives up", async () => {
    failuresLeft = 100;
    const before = bed.ctx.now().getTime();
    const early = await handleInboxPluginJob(bed.ctx, jobRecord({ queue: INBOX_PLUGIN_QUEUE, payload: retryPayload, attempts: 0 }));
    assert.equal(early.kind, "retry");
    assert.ok(early.kind === "retry" && early.at.getTime() > before, "the retry is scheduled for later");
    assert.match(early.kind === "retry" ? early.error : "", /chat server unavailable/);

    const late = await handleInboxPluginJob(bed.ctx, jobRecord({ queue: INBOX_PLUGIN_QUEUE, payload: retryPayload, attempts: 10 }));
    assert.equal(late.kind, "fail");
  });

  it("drops the retry job of a plugin that is no longer registered", async () => {
    const outcome = await handleInboxPluginJob(
      bed.ctx,
      jobRecord({ queue: INBOX_PLUGIN_QUEUE, payload: { ...retryPayload, plugin: "removed" } }),
    );
    assert.deepEqual(outcome, { kind: "done" });
    assert.deepEqual(calls, []);
  });
});
