import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { progressBars } from "./progress-bars.ts";

describe("progressBars", () => {
  it("loads cli-progress on first use and draws a bar with it", () => {
    const output = new PassThrough();
    let drawn = "";
    output.on("data", (chunk: Buffer) => (drawn += chunk.toString("utf8")));
    // A terminal-less stream draws only when told to; noTTYOutput makes it draw anyway.
    const bar = new (progressBars().SingleBar)({ stream: output, format: "Copying {value}/{total}", noTTYOutput: true });
    bar.start(4, 1);
    bar.update(3);
    bar.stop();
    assert.match(drawn, /Copying 3\/4/);
    assert.equal(progressBars(), progressBars());
  });
});
