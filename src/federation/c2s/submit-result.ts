/**
 * What posting to an outbox answers: the activity created (and the object,
 * when one was created), or a refusal whose typed reason maps to an HTTP
 * status, with a message precise enough for a client developer to act on.
 */

/** Why a client's activity was refused. */
export type SubmitFailureReason =
  | "notAnObject"
  | "missingType"
  | "foreignActor"
  | "foreignObjectId"
  | "invalidObject"
  | "unsupportedType"
  | "notFound"
  | "notYours"
  | "gone"
  | "conflict"
  | "actorDeleted";

/** HTTP status of each reason. */
const STATUS: Readonly<Record<SubmitFailureReason, 400 | 403 | 404 | 409 | 410>> = {
  notAnObject: 400,
  missingType: 400,
  foreignActor: 400,
  foreignObjectId: 400,
  invalidObject: 400,
  unsupportedType: 400,
  notFound: 400,
  notYours: 403,
  gone: 410,
  conflict: 409,
  actorDeleted: 410,
};

/** A refusal of a client's activity. */
export interface SubmitFailure {
  readonly ok: false;
  readonly reason: SubmitFailureReason;
  readonly message: string;
  readonly status: 400 | 403 | 404 | 409 | 410;
}

/** A published activity. */
export interface SubmitSuccess {
  readonly ok: true;
  readonly activityUri: string;
  /** The object a Create made (its id was minted here). */
  readonly objectUri?: string;
  /** Remote inboxes a delivery was queued for. */
  readonly deliveries: number;
}

/** What posting to an outbox answers. */
export type SubmitResult = SubmitSuccess | SubmitFailure;

/** Parameters of {@link submitFailure}. */
export interface SubmitFailureParams {
  readonly reason: SubmitFailureReason;
  readonly message: string;
}

/** Builds a refusal with the status of its reason. */
export function submitFailure(params: SubmitFailureParams): SubmitFailure {
  return { ok: false, reason: params.reason, message: params.message, status: STATUS[params.reason] };
}

/** How the outbox verbs' reasons read for a client: which are missing things, which are conflicts. */
const ACTION_REASONS: Readonly<Record<string, SubmitFailureReason>> = {
  notLocal: "notYours",
  actorDeleted: "actorDeleted",
  objectNotFound: "notFound",
  accountNotFound: "notFound",
  invalidAccount: "invalidObject",
  notYours: "notYours",
  objectDeleted: "gone",
  self: "invalidObject",
  notPublic: "invalidObject",
  invalidChanges: "invalidObject",
  notAlias: "invalidObject",
  noKey: "invalidObject",
};

/** Parameters of {@link fromAction}. */
export interface FromActionParams {
  readonly result:
    | { readonly ok: true; readonly activityUri: string; readonly deliveries: number }
    | { readonly ok: false; readonly reason: string; readonly message: string };
  readonly objectUri?: string;
}

/** An outbox verb's answer as a submit result; refusals not listed are conflicts (already liked, not following…). */
export function fromAction(params: FromActionParams): SubmitResult {
  const { result } = params;
  if (!result.ok) return submitFailure({ reason: ACTION_REASONS[result.reason] ?? "conflict", message: result.message });
  return {
    ok: true,
    activityUri: result.activityUri,
    deliveries: result.deliveries,
    ...(params.objectUri === undefined ? {} : { objectUri: params.objectUri }),
  };
}
