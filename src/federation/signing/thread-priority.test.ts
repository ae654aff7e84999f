import assert from "node:assert/strict";
import { once } from "node:events";
import { getPriority } from "node:os";
import { describe, it } from "node:test";
import { Worker } from "node:worker_threads";

const moduleUrl = new URL("./thread-priority.ts", import.meta.url).href;
const linuxOnly = process.platform === "linux" ? false : "threads have priorities of their own only on Linux";

/** Runs lowerThreadPriority(niceness) on a thread of its own; answers what it returned and the thread's nice value. */
async function lowerOnThread(niceness: number): Promise<{ returned: number | undefined; nice: number }> {
  const worker = new Worker(
    `const { parentPort } = require("node:worker_threads");
     const { getPriority } = require("node:os");
     import(${JSON.stringify(moduleUrl)}).then(({ currentThreadId, lowerThreadPriority }) => {
       const returned = lowerThreadPriority(${niceness});
       parentPort.postMessage({ returned, nice: getPriority(currentThreadId()) });
     });`,
    { eval: true },
  );
  const [answer] = await once(worker, "message");
  await worker.terminate();
  return answer;
}

describe("lowerThreadPriority", { skip: linuxOnly }, () => {
  it("lowers the calling thread only, by the steps asked", async () => {
    const before = getPriority();
    const { returned, nice } = await lowerOnThread(3);
    assert.equal(nice, Math.min(19, before + 3));
    assert.equal(returned, nice);
    assert.equal(getPriority(), before, "the main thread keeps its priority");
  });

  it("stops at the lowest priority there is", async () => {
    const { nice } = await lowerOnThread(100);
    assert.equal(nice, 19);
  });
});
