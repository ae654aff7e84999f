/**
 * The entry point of one thread of the signing pool (signing-pool.ts): it
 * does the {@link ThreadJob}s it is posted (a batch at a time) in order. A
 * signature is posted back as soon as it is made, since each takes most of a
 * millisecond; the answers of verifications, a few tens of microseconds
 * each, go back together at the end of the batch, so that the main thread
 * takes one message for them instead of one each.
 */
import { parentPort } from "node:worker_threads";
import { answerSignatureJob, answerVerificationJob, type ThreadJob, type VerificationAnswer } from "./signature-job.ts";
import { lowerThreadPriority, SIGNING_THREAD_NICENESS } from "./thread-priority.ts";

const port = parentPort;
if (port !== null) {
  // Behind the main thread, which the deliveries wait on (see thread-priority.ts).
  lowerThreadPriority(SIGNING_THREAD_NICENESS);
  port.on("message", (jobs: readonly ThreadJob[]) => {
    const verified: VerificationAnswer[] = [];
    for (const job of jobs) {
      if (job.kind === "verify") verified.push(answerVerificationJob(job));
      else port.postMessage(answerSignatureJob(job));
    }
    if (verified.length > 0) port.postMessage(verified);
  });
}
