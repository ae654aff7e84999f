/**
 * The object a Create or Update carries, established as trustworthy: taken as
 * embedded only when it lives on the sender's own origin (the sender's
 * signature vouches for nothing else), fetched from its origin otherwise, and
 * attributed to the sender or to an actor of the sender's server. A fetched
 * document is as good as its origin: the fetcher checks that its id lives on
 * the server that served it.
 */
import { sameOrigin } from "../../../protocol/json-ld.ts";
import { normalizeObject, type NormalizedActivity, type NormalizedObject } from "../../../protocol/normalize.ts";
import { fetchDocument } from "../../fetch/fetch-document.ts";
import type { FederationContext } from "../../context.ts";
import type { HandlerOutcome } from "./handler.ts";
import { isTransientFailure } from "./remote-lookups.ts";

/** Parameters of {@link incomingObject}. */
export interface IncomingObjectParams {
  readonly activity: NormalizedActivity;
}

/** The object with its author, or the outcome the handler should return instead. */
export type IncomingObject =
  | { ok: true; object: NormalizedObject & { attributedTo: string } }
  | { ok: false; outcome: HandlerOutcome };

/** Reads, or fetches, the object of a Create/Update and checks who wrote it. */
export async function incomingObject(ctx: FederationContext, params: IncomingObjectParams): Promise<IncomingObject> {
  const { activity } = params;
  const ignore = (note: string): IncomingObject => ({ ok: false, outcome: { kind: "ignored", note } });
  const id = activity.object;
  if (id === undefined) return ignore(`${activity.type} names no object id`);

  let document: Record<string, unknown>;
  if (activity.embeddedObject !== undefined && sameOrigin(id, activity.actor)) {
    document = activity.embeddedObject;
  } else {
    const fetched = await fetchDocument(ctx, id);
    if (!fetched.ok) {
      const failure = fetched.status === undefined ? { reason: fetched.reason } : { reason: fetched.reason, status: fetched.status };
      if (isTransientFailure(failure)) {
        return { ok: false, outcome: { kind: "retry", error: `object ${id}: ${fetched.message}` } };
      }
      return ignore(`object ${id} could not be fetched: ${fetched.message}`);
    }
    document = fetched.document;
  }

  const normalized = normalizeObject(document);
  if (!normalized.ok) return ignore(`object is unreadable: ${normalized.message}`);
  const object = normalized.value;
  if (object.id !== id) return ignore(`object id ${object.id} is not the id the activity names`);
  const author = object.attributedTo;
  if (author === undefined) return ignore("object has no author");
  if (author !== activity.actor && !sameOrigin(author, activity.actor)) {
    return ignore(`object is attributed to ${author}, not to the activity's actor`);
  }
  return { ok: true, object: { ...object, attributedTo: author } };
}
