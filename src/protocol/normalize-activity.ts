import { asArray, idOf, isHttpUri, isJsonObject, typeOf } from "./json-ld.ts";
import { addressList, stringOf } from "./normalize-helpers.ts";
import { failed, parsed, type ParseResult } from "./parse-result.ts";
import { isActorType, isObjectType, isPublicAddress, PUBLIC_COLLECTION } from "./vocabulary.ts";

/** An incoming activity reduced to the fields Outpost acts on, whatever server sent it. */
export interface NormalizedActivity {
  id: string;
  type: string;
  actor: string;
  /** The object's id when there is one. */
  object?: string;
  /** The object as sent when it was embedded (an object, not just an id). */
  embeddedObject?: Record<string, unknown>;
  target?: string;
  origin?: string;
  to: string[];
  cc: string[];
  bto: string[];
  bcc: string[];
  audience: string[];
  published?: string;
  /**
   * Set when the sender gave the activity no `id` and one was derived from actor, type and
   * object. GoToSocial sends `Delete` this way; such an id cannot be fetched back.
   */
  syntheticId?: true;
  raw: Record<string, unknown>;
}

/** Activity types that mean nothing without an object. */
const TRANSITIVE_TYPES: ReadonlySet<string> = new Set([
  "Accept",
  "Add",
  "Announce",
  "Block",
  "Create",
  "Delete",
  "Dislike",
  "EmojiReact",
  "Flag",
  "Follow",
  "Like",
  "Move",
  "Reject",
  "Remove",
  "TentativeAccept",
  "TentativeReject",
  "Undo",
  "Update",
]);

/**
 * Reads an incoming activity from any server. Handles `type` arrays, `actor` given as an object
 * or an array, `object` given as an id, an embedded object or an array, and addressing given as a
 * single string. Rejects documents that are clearly not activities (actors, notes) and ids that
 * are not http(s) URIs.
 */
export function normalizeActivity(json: unknown): ParseResult<NormalizedActivity> {
  if (!isJsonObject(json)) return failed("notAnObject", "activity is not a JSON object");

  const type = typeOf(json);
  if (type === undefined) return failed("missingField", 'activity has no "type"');
  if (isActorType(type) || isObjectType(type)) {
    return failed("unsupportedType", `"${type}" is not an activity type`);
  }

  const actor = idOf(asArray(json.actor)[0]);
  if (actor === undefined) return failed("missingField", 'activity has no "actor"');
  if (!isHttpUri(actor)) return failed("invalidField", 'activity "actor" is not an http(s) URI');

  const objectValue = asArray(json.object)[0];
  const embeddedObject = isJsonObject(objectValue) ? objectValue : undefined;
  let object = idOf(objectValue);
  if (object !== undefined && isPublicAddress(object)) object = PUBLIC_COLLECTION;
  if (object !== undefined && object !== PUBLIC_COLLECTION && !isHttpUri(object)) {
    return failed("invalidField", 'activity "object" is not an http(s) URI');
  }
  if (object === undefined && embeddedObject === undefined && TRANSITIVE_TYPES.has(type)) {
    return failed("missingField", 'activity has no "object"');
  }

  let id = stringOf(json.id) ?? stringOf(json["@id"]);
  const hasOwnId = id !== undefined;
  if (id === undefined) {
    // Deterministic, so a redelivered id-less activity still deduplicates.
    if (object === undefined) return failed("missingField", 'activity has no "id"');
    id = `${actor}#${type.toLowerCase()}/${encodeURIComponent(object)}`;
  } else if (!isHttpUri(id)) {
    return failed("invalidField", 'activity "id" is not an http(s) URI');
  }

  const target = optionalReference(json.target, "target");
  if (target.ok === false) return target;
  const origin = optionalReference(json.origin, "origin");
  if (origin.ok === false) return origin;

  const value: NormalizedActivity = {
    id,
    type,
    actor,
    to: addressList(json.to),
    cc: addressList(json.cc),
    bto: addressList(json.bto),
    bcc: addressList(json.bcc),
    audience: addressList(json.audience),
    raw: json,
  };
  if (!hasOwnId) value.syntheticId = true;
  if (object !== undefined) value.object = object;
  if (embeddedObject !== undefined) value.embeddedObject = embeddedObject;
  if (target.value !== undefined) value.target = target.value;
  if (origin.value !== undefined) value.origin = origin.value;
  const published = stringOf(json.published);
  if (published !== undefined) value.published = published;
  return parsed(value);
}

function optionalReference(value: unknown, field: string): ParseResult<string | undefined> {
  const id = idOf(asArray(value)[0]);
  if (id === undefined) return parsed(undefined);
  if (!isHttpUri(id)) return failed("invalidField", `activity "${field}" is not an http(s) URI`);
  return parsed(id);
}
