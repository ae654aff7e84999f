/** Why a loosely shaped document could not be read. */
export type ParseFailureReason = "notAnObject" | "missingField" | "invalidField" | "unsupportedType";

/** Outcome of reading untrusted input: the value, or a reason and a message naming the offending field. */
export type ParseResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: ParseFailureReason; message: string };

/** Wraps a successfully parsed value. */
export function parsed<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

/** Builds a failed result; typed as any ParseResult so it can be returned from every parser. */
export function failed<T = never>(reason: ParseFailureReason, message: string): ParseResult<T> {
  return { ok: false, reason, message };
}
