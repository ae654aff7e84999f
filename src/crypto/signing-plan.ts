import type { SignatureAlgorithm } from "./signature-algorithms.ts";

/**
 * A request signature split at the one expensive step. Building the headers
 * and the bytes to sign is cheap string work; the private-key operation is
 * not, and can run elsewhere (another thread) before {@link complete} puts
 * its result into the headers.
 */
export interface SigningPlan {
  /** The request's headers with everything the signature covers (Host, Date, digests), no signature yet. */
  readonly headers: Headers;
  /** The algorithm the signature must be made with, as the signature's parameters already declare. */
  readonly algorithm: SignatureAlgorithm;
  /** The exact bytes to sign. */
  readonly data: Buffer;
  /** Adds the signature made over {@link data} to {@link headers} and returns them; call it once. */
  complete(signature: Uint8Array): Headers;
}
