/**
 * A signing thread for tests: it dies (as a thread would on running out of
 * memory) when the bytes to sign say "crash", and otherwise signs them with
 * "thread:" in front, so a test can tell a thread's signature from one the
 * pool made on the calling thread.
 */
import { parentPort } from "node:worker_threads";
import { answerSignatureJob, type SignatureJob } from "./signature-job.ts";

const port = parentPort;
if (port !== null) {
  port.on("message", (jobs: readonly SignatureJob[]) => {
    for (const job of jobs) {
      const text = new TextDecoder().decode(job.data);
      if (text.includes("crash")) process.exit(1);
      port.postMessage(answerSignatureJob({ ...job, data: new TextEncoder().encode(`thread:${text}`) }));
    }
  });
}
