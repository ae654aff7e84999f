/**
 * Signing an outgoing request (a delivery, a signed fetch) without holding up
 * the main thread: the headers and the bytes to sign are prepared here, the
 * private-key operation runs on the process's signing pool when one is held,
 * and on this thread otherwise.
 */
import { toPrivateKeyObject } from "../../crypto/keys.ts";
import { signingAlgorithmForKey } from "../../crypto/signature-algorithms.ts";
import { planRequestSignature, signRequest, type SignRequestParameters } from "../../crypto/verify-request.ts";
import { currentSigningPool, type SigningPool } from "./signing-pool.ts";

/** Parameters of {@link signOutgoingRequest}: a request to sign, with the private key as PEM text. */
export type SignOutgoingRequestParameters = SignRequestParameters & {
  readonly privateKey: string;
  /** Where to make the signature; default the process's pool while one is held. */
  readonly pool?: SigningPool;
};

/** The request's headers with its signature, made on the signing pool when there is one. */
export async function signOutgoingRequest(params: SignOutgoingRequestParameters): Promise<Headers> {
  const pool = params.pool ?? currentSigningPool();
  if (pool === undefined) return signRequest(params);
  // The main thread still parses the key once (kept by PEM) to know which algorithm the signature declares.
  const algorithm = signingAlgorithmForKey(toPrivateKeyObject(params.privateKey));
  const plan = planRequestSignature({ ...params, algorithm });
  return plan.complete(await pool.sign({ algorithm, privateKeyPem: params.privateKey, data: plan.data }));
}
