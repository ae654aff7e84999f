/**
 * A signing thread for tests: it dies (as a thread would on running out of
 * memory) when the bytes to sign or check say "crash". Otherwise it signs
 * them with "thread:" in front, and answers a check as verified exactly when
 * its bytes say "thread-vouches", whatever the signature, so a test can tell
 * a thread's answer from one the pool made on the calling thread.
 */
import { parentPort } from "node:worker_threads";
import { answerSignatureJob, type ThreadJob, type VerificationAnswer } from "./signature-job.ts";

const port = parentPort;
if (port !== null) {
  port.on("message", (jobs: readonly ThreadJob[]) => {
    const verified: VerificationAnswer[] = [];
    for (const job of jobs) {
      const text = new TextDecoder().decode(job.data);
      if (text.includes("crash")) process.exit(1);
      if (job.kind === "verify") verified.push({ id: job.id, verified: text.includes("thread-vouches") });
      else port.postMessage(answerSignatureJob({ ...job, data: new TextEncoder().encode(`thread:${text}`) }));
    }
    if (verified.length > 0) port.postMessage(verified);
  });
}
