/**
 * The shapes every outbox verb answers with. A verb either published an
 * activity (and says which, and to how many inboxes it is going), or it
 * refused for a reason the user can act on.
 */

// Type aliases rather than interfaces: callers treat results as plain records
// (`Record<string, unknown>`), which only aliases are assignable to.

/** A refusal: a typed reason for code, a sentence for people. */
export type ActionFailure<R extends string> = {
  readonly ok: false;
  readonly reason: R;
  readonly message: string;
};

/** What a verb that published an activity reports. */
export type Published = {
  readonly ok: true;
  readonly activityUri: string;
  /** Remote inboxes a delivery was queued for (0 for activities kept local, like Block). */
  readonly deliveries: number;
};

/** Parameters of {@link refuse}. */
export interface RefuseParams<R extends string> {
  readonly reason: R;
  readonly message: string;
}

/** Builds a refusal. */
export function refuse<R extends string>(params: RefuseParams<R>): ActionFailure<R> {
  return { ok: false, reason: params.reason, message: params.message };
}
