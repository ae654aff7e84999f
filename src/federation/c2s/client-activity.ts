/**
 * The first look at what a client posts to an outbox (ActivityPub §6): it
 * must be a JSON object with a type; an object that is not an activity is
 * wrapped in a Create (§6.2.1); the actor, when given, must be the outbox's
 * owner. The activity gets an id minted here (clients never choose ids) and
 * keeps every other property the client sent.
 */
import { idOf, isJsonObject, typeOf } from "../../protocol/json-ld.ts";
import { isActivityType } from "../../protocol/vocabulary.ts";
import type { ActorRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { newActivityUri } from "../outbox/actions/mint-uris.ts";
import { submitFailure, type SubmitFailure } from "./submit-result.ts";

/** The addressing properties, which a Create and its object share. */
export const ADDRESSING = ["to", "cc", "bto", "bcc", "audience"] as const;

/** A client's activity, ready for its type's handling. */
export interface ClientActivity {
  /** The activity with its minted id, the actor and `published` set. */
  readonly activity: Record<string, unknown>;
  readonly type: string;
}

/** Parameters of {@link prepareClientActivity}. */
export interface PrepareClientActivityParams {
  readonly actor: ActorRecord;
  /** The parsed request body. */
  readonly body: unknown;
}

/** The activity, or why it is refused. */
export type PrepareClientActivityResult = ({ readonly ok: true } & ClientActivity) | SubmitFailure;

/** Checks a posted document and turns it into an activity of the outbox's actor. */
export function prepareClientActivity(ctx: FederationContext, params: PrepareClientActivityParams): PrepareClientActivityResult {
  const { actor, body } = params;
  if (!isJsonObject(body)) return submitFailure({ reason: "notAnObject", message: "the body must be a JSON object (an activity or an object)" });
  const type = typeOf(body);
  if (type === undefined) return submitFailure({ reason: "missingType", message: 'the document has no "type"' });
  const now = ctx.now().toISOString();
  const id = newActivityUri(ctx, { actor });

  if (!isActivityType(type)) {
    // §6.2.1: a bare object means "create this"; the Create takes the object's audience.
    const { "@context": context, ...object } = body;
    const activity: Record<string, unknown> = {
      ...(context === undefined ? {} : { "@context": context }),
      id,
      type: "Create",
      actor: actor.uri,
      published: now,
      object,
    };
    for (const property of ADDRESSING) if (object[property] !== undefined) activity[property] = object[property];
    return { ok: true, activity, type: "Create" };
  }

  if (body.actor !== undefined && idOf(body.actor) !== actor.uri) {
    return submitFailure({
      reason: "foreignActor",
      message: `"actor" must be the outbox's owner ${actor.uri}, not ${JSON.stringify(idOf(body.actor) ?? body.actor).slice(0, 200)}`,
    });
  }
  return { ok: true, activity: { ...body, id, actor: actor.uri, published: now }, type };
}

/** Parameters of {@link objectIdOf}. */
export interface ObjectIdOfParams {
  readonly activity: Record<string, unknown>;
  readonly property?: "object" | "target";
}

/** The id an activity's object (or target) names, whether given as a string or embedded. */
export function objectIdOf(params: ObjectIdOfParams): string | undefined {
  const value = params.activity[params.property ?? "object"];
  if (Array.isArray(value)) return value.length === 1 ? idOf(value[0]) : undefined;
  return idOf(value);
}
