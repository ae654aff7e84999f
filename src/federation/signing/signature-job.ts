/**
 * What a signing thread (signing-worker.ts) is asked and answers: one
 * private-key operation over bytes the main thread prepared. Kept apart from
 * the thread's entry point so the main thread can make the same signature
 * itself when no thread is available.
 */
import { parsePrivateKey } from "../../crypto/keys.ts";
import { signBytes, type SignatureAlgorithm } from "../../crypto/signature-algorithms.ts";

/** One signature to make, as posted to a signing thread (in a batch). */
export interface SignatureJob {
  readonly id: number;
  readonly algorithm: SignatureAlgorithm;
  /** Parsed once per thread: parsePrivateKey keeps parsed keys by their PEM text. */
  readonly privateKeyPem: string;
  readonly data: Uint8Array;
}

/** A signing thread's answer to a {@link SignatureJob}. */
export type SignatureAnswer =
  | { readonly id: number; readonly signature: Uint8Array }
  | { readonly id: number; readonly error: string };

/** Makes the signature a job asks for; a bad key or algorithm is an answer, not a crash. */
export function answerSignatureJob(job: SignatureJob): SignatureAnswer {
  const key = parsePrivateKey(job.privateKeyPem);
  if (!key.ok) return { id: job.id, error: key.message };
  try {
    // A copy of exactly the signature's bytes: posting a view into a larger buffer would copy all of it.
    return { id: job.id, signature: new Uint8Array(signBytes({ algorithm: job.algorithm, key: key.key, data: job.data })) };
  } catch (error) {
    return { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
}
