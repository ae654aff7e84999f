/**
 * A worker thread that signs prepared requests (draft-cavage rsa-sha256 over
 * `(request-target) host date digest`), so that signing thousands of
 * requests before a timed phase uses every core.
 */
import { parentPort, workerData } from "node:worker_threads";
import { signRequest } from "../../src/crypto/verify-request.ts";

/** One request to sign. */
export interface SignJob {
  readonly url: string;
  readonly keyId: string;
  readonly keyIndex: number;
  readonly body: Uint8Array;
}

/** What the worker starts with. */
export interface SignWorkerData {
  readonly privateKeyPems: readonly string[];
}

/** The signed headers of each job, in order, as name/value pairs. */
export type SignedHeaders = Array<Array<[string, string]>>;

if (parentPort !== null) {
  const { privateKeyPems } = workerData as SignWorkerData;
  const port = parentPort;
  port.on("message", (jobs: readonly SignJob[]) => {
    const signed: SignedHeaders = jobs.map((job) => {
      const headers = signRequest({
        method: "POST",
        url: job.url,
        headers: new Headers({
          "content-type": "application/activity+json",
          accept: "application/activity+json",
          "user-agent": "outpost-bench (Mastodon-shaped load)",
        }),
        body: job.body,
        keyId: job.keyId,
        privateKey: privateKeyPems[job.keyIndex]!,
      });
      return [...headers.entries()];
    });
    port.postMessage(signed);
  });
  // The generator waits for this before it says it is ready.
  port.postMessage("ready");
}
