/**
 * Lookups that may need the network, turned into handler outcomes: a server
 * that cannot be reached now is retried later, a document that is gone or
 * malformed is a reason to ignore the activity.
 */
import type { ActorRecord } from "../../../store/records.ts";
import { resolveActor } from "../../actors/actor-resolver.ts";
import type { FederationContext } from "../../context.ts";
import type { HandlerOutcome } from "./handler.ts";

/** Failure reasons that say nothing about the document, only that its server could not be reached now. */
const TRANSIENT_REASONS: ReadonlySet<string> = new Set(["timeout", "network", "dnsFailure", "httpError"]);

/** Parameters of {@link isTransientFailure}. */
export interface TransientFailureParams {
  readonly reason: string;
  /** The HTTP status, when the failure came with one. */
  readonly status?: number;
}

/** Whether a fetch failure is worth retrying: the server was unreachable, overloaded or broken for now. */
export function isTransientFailure(params: TransientFailureParams): boolean {
  if (!TRANSIENT_REASONS.has(params.reason)) return false;
  if (params.reason !== "httpError" || params.status === undefined) return true;
  return params.status === 408 || params.status === 429 || params.status >= 500;
}

/** An actor, or the outcome the handler should return instead. */
export type ActorLookup = { ok: true; actor: ActorRecord } | { ok: false; outcome: HandlerOutcome };

/** Parameters of {@link lookUpActor}. */
export interface LookUpActorParams {
  readonly uri: string;
  /** Fetch the document again even when a fresh copy is stored. */
  readonly refresh?: boolean;
}

/** An actor from the store or its server, as a handler needs it. */
export async function lookUpActor(ctx: FederationContext, params: LookUpActorParams): Promise<ActorLookup> {
  const result = await resolveActor(ctx, params.uri, params.refresh === true ? { refresh: true } : undefined);
  if (result.ok) return { ok: true, actor: result.actor };
  if (isTransientFailure({ reason: result.reason })) {
    return { ok: false, outcome: { kind: "retry", error: `actor ${params.uri}: ${result.message}` } };
  }
  return { ok: false, outcome: { kind: "ignored", note: `actor ${params.uri} could not be resolved: ${result.message}` } };
}
