import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { formatUuidV7, timeOrderedId } from "./time-ordered-id.ts";

describe("timeOrderedId", () => {
  it("lays out the example of RFC 9562, appendix A.6", () => {
    const random = Uint8Array.from([0, 0, 0, 0, 0, 0, 0x0c, 0xc3, 0x18, 0xc4, 0xdc, 0x0c, 0x0c, 0x07, 0x39, 0x8f]);
    assert.equal(formatUuidV7(0x017f22e279b0, random), "017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
  });

  it("mints version 7 UUIDs that sort in the order they were made", async () => {
    const ids: string[] = [];
    for (let round = 0; round < 5; round++) {
      ids.push(timeOrderedId());
      await sleep(2);
    }
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
  });
});
