import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import type { Outpost } from "../outpost.ts";
import { describeDeliveries, runDeliveries } from "./deliveries.ts";

/** An Outpost whose activity has `total` deliveries that end as given once jobs ran. */
function fakeOutpost(params: { total: number; ends: { done: number; failed: number } }) {
  let ran = false;
  const outpost = {
    store: {
      jobs: {
        countByGroup: async () =>
          ran
            ? { ...params.ends, pending: params.total - params.ends.done - params.ends.failed }
            : { pending: params.total, done: 0, failed: 0 },
      },
    },
    runJobsUntilIdle: async () => {
      ran = true;
    },
  };
  return { outpost: outpost as unknown as Outpost, ran: () => ran };
}

describe("runDeliveries", () => {
  it("runs the due jobs and counts how the activity's deliveries ended", async () => {
    const { outpost, ran } = fakeOutpost({ total: 5, ends: { done: 3, failed: 1 } });
    const output = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
    let written = "";
    (output as unknown as PassThrough).on("data", (chunk: Buffer) => (written += chunk.toString()));
    const report = await runDeliveries({ outpost, activityUri: "https://social.example/users/a/activities/1", output });
    assert.ok(ran());
    assert.deepEqual(report, { total: 5, delivered: 3, failed: 1, retrying: 1 });
    assert.equal(written, "", "no progress bar when the output is not a terminal");
  });
});

describe("describeDeliveries", () => {
  it("says how many arrived, failed and wait for the server", () => {
    assert.equal(
      describeDeliveries({ total: 6, delivered: 3, failed: 1, retrying: 2 }),
      "Delivered to 3 of 6 inboxes; 1 failed for good; 2 deliveries will be retried by the server (`outpost serve`).",
    );
    assert.equal(describeDeliveries({ total: 1, delivered: 1, failed: 0, retrying: 0 }), "Delivered to 1 of 1 inbox.");
    assert.equal(describeDeliveries({ total: 0, delivered: 0, failed: 0, retrying: 0 }), "No inbox to deliver to.");
  });
});
