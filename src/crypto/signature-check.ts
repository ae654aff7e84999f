/**
 * The private-key-free half of checking an HTTP signature: which algorithms a
 * signature may have been made with under a given public key, and then the
 * public-key operations themselves, made here or handed to a
 * {@link SignatureVerifier} (another thread, say) as plain data.
 */
import type { KeyObject } from "node:crypto";
import { parsePublicKey } from "./keys.ts";
import { algorithmsForKey, keyFitsAlgorithm, verifyBytes, type SignatureAlgorithm } from "./signature-algorithms.ts";
import { failure } from "./signature-failure.ts";
import type { StepResult, VerifyFailure } from "./signature-failure.ts";

/** One public-key operation as plain data: what a verifier on another thread is handed. */
export interface SignatureCheck {
  readonly algorithm: SignatureAlgorithm;
  /** The public key as PEM text; parsed keys are kept by their text, so each thread parses a key once. */
  readonly publicKeyPem: string;
  readonly data: Uint8Array;
  readonly signature: Uint8Array;
}

/** Answers whether a signature verifies; a bad key or signature counts as not verified. */
export type SignatureVerifier = (check: SignatureCheck) => boolean | Promise<boolean>;

/** The algorithms to try, in order, and what to answer when none verifies. */
export interface SignatureCheckPlan {
  readonly ok: true;
  readonly algorithms: readonly SignatureAlgorithm[];
  readonly invalid: VerifyFailure<"invalidSignature">;
}

/** Parameters of {@link planSignatureCheck}. */
export interface PlanSignatureCheckParameters {
  /** The algorithm the signature names; null when it leaves it to the key (none, or hs2019). */
  readonly algorithm: SignatureAlgorithm | null;
  /** The algorithm as the sender wrote it, for messages. */
  readonly declared: string;
  readonly publicKey: KeyObject;
  /** How messages name the key. */
  readonly keyName: string;
  /** The message when no algorithm verifies. */
  readonly invalidMessage: string;
}

/**
 * Decides which algorithms to try: the named one if the key can make it,
 * otherwise every algorithm the key type allows (see algorithmsForKey).
 */
export function planSignatureCheck(
  params: PlanSignatureCheckParameters,
): SignatureCheckPlan | VerifyFailure<"invalidSignature" | "unsupportedAlgorithm"> {
  const { algorithm, publicKey, keyName } = params;
  const type = publicKey.asymmetricKeyType ?? "symmetric";
  if (algorithm !== null && !keyFitsAlgorithm(publicKey, algorithm)) {
    return failure("invalidSignature", `Signature algorithm ${params.declared} cannot be verified with the ${type} key ${keyName}`);
  }
  const algorithms = algorithm === null ? algorithmsForKey(publicKey) : [algorithm];
  if (algorithms.length === 0) {
    return failure("unsupportedAlgorithm", `Key ${keyName} is a ${type} key, which cannot verify signatures here`);
  }
  return { ok: true, algorithms, invalid: failure("invalidSignature", params.invalidMessage) };
}

/** Runs a plan on this thread. */
export function runSignatureCheck(
  plan: SignatureCheckPlan,
  params: { readonly publicKey: KeyObject; readonly data: Uint8Array; readonly signature: Uint8Array },
): StepResult<"invalidSignature"> {
  for (const algorithm of plan.algorithms) {
    if (verifyBytes({ algorithm, key: params.publicKey, data: params.data, signature: params.signature })) return { ok: true };
  }
  return plan.invalid;
}

/** Runs a plan through a verifier, one algorithm after another. */
export async function runSignatureCheckWith(
  plan: SignatureCheckPlan,
  check: Omit<SignatureCheck, "algorithm">,
  verifier: SignatureVerifier,
): Promise<StepResult<"invalidSignature">> {
  for (const algorithm of plan.algorithms) {
    if (await verifier({ ...check, algorithm })) return { ok: true };
  }
  return plan.invalid;
}

/** A {@link SignatureVerifier} that works on the calling thread. */
export function verifySignatureCheck(check: SignatureCheck): boolean {
  const key = parsePublicKey(check.publicKeyPem);
  if (!key.ok) return false;
  return verifyBytes({ algorithm: check.algorithm, key: key.key, data: check.data, signature: check.signature });
}
