/** Which part of request verification failed. */
export type VerifyFailureReason =
  | "noSignature"
  | "malformedSignature"
  | "unsupportedAlgorithm"
  | "missingSignedHeader"
  | "headerNotSigned"
  | "missingDigest"
  | "digestMismatch"
  | "dateMissing"
  | "dateOutOfWindow"
  | "keyNotFound"
  | "keyMalformed"
  | "invalidSignature";

/** A failed verification step, with a message saying exactly which check failed. */
export interface VerifyFailure<R extends VerifyFailureReason = VerifyFailureReason> {
  readonly ok: false;
  readonly reason: R;
  readonly message: string;
  readonly keyId?: string;
}

/** A signature header that could not be parsed. */
export type ParseFailure = VerifyFailure<"malformedSignature">;

/** Outcome of one verification step. */
export type StepResult<R extends VerifyFailureReason = VerifyFailureReason> = { readonly ok: true } | VerifyFailure<R>;

/** Builds a failure value. */
export function failure<R extends VerifyFailureReason>(reason: R, message: string): VerifyFailure<R> {
  return { ok: false, reason, message };
}
