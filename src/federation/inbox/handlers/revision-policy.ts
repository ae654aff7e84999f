/**
 * Which of two versions of an object wins. Updates can arrive out of order
 * (retries, several servers relaying), so an Update only replaces what is
 * stored when it is strictly newer by its `updated` time.
 */

/** Parameters of {@link isNewerRevision}. */
export interface NewerRevisionParams {
  /** `updated` of the stored version; null when it was never edited or is not stored. */
  readonly stored: string | null;
  /** `updated` of the incoming version. */
  readonly incoming: string | undefined;
}

/**
 * Whether the incoming version should replace the stored one: always when
 * nothing says when the stored one was edited, never when the incoming one
 * carries no (valid) time, otherwise only when it is strictly later.
 */
export function isNewerRevision(params: NewerRevisionParams): boolean {
  const stored = params.stored === null ? Number.NaN : Date.parse(params.stored);
  if (Number.isNaN(stored)) return true;
  const incoming = params.incoming === undefined ? Number.NaN : Date.parse(params.incoming);
  if (Number.isNaN(incoming)) return false;
  return incoming > stored;
}
