/**
 * The entry point of one thread of the signing pool (signing-pool.ts): it
 * answers the {@link SignatureJob}s it is posted (a batch at a time) in
 * order, each as soon as it is made.
 */
import { parentPort } from "node:worker_threads";
import { answerSignatureJob, type SignatureJob } from "./signature-job.ts";
import { lowerThreadPriority, SIGNING_THREAD_NICENESS } from "./thread-priority.ts";

const port = parentPort;
if (port !== null) {
  // Behind the main thread, which the deliveries wait on (see thread-priority.ts).
  lowerThreadPriority(SIGNING_THREAD_NICENESS);
  port.on("message", (jobs: readonly SignatureJob[]) => {
    for (const job of jobs) port.postMessage(answerSignatureJob(job));
  });
}
