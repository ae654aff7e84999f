import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { waitFor } from "./wait-for.ts";

describe("waitFor", () => {
  it("resolves with the first answer that is a value", async () => {
    let calls = 0;
    const value = await waitFor(() => {
      calls += 1;
      return calls < 3 ? null : { calls };
    });
    assert.deepEqual(value, { calls: 3 });
  });

  it("counts 0 and the empty string as answers", async () => {
    assert.equal(await waitFor(() => 0), 0);
    assert.equal(await waitFor(async () => ""), "");
  });

  it("gives up when the time is up, naming what it waited for", async () => {
    await assert.rejects(waitFor(() => false, { timeoutMs: 20, message: "the moon" }), /timed out after 20 ms waiting for the moon/);
  });

  it("passes a probe's error on at once", async () => {
    await assert.rejects(
      waitFor(() => {
        throw new Error("probe broke");
      }),
      /probe broke/,
    );
  });
});
