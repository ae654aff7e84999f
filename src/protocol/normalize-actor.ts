import { z } from "zod";
import { asArray, isHttpUri, isJsonObject, typeOf } from "./json-ld.ts";
import { imageUrlOf, optionalHttpId, stringOf, textOf, urlOf } from "./normalize-helpers.ts";
import { failed, parsed, type ParseResult } from "./parse-result.ts";
import { isActorType } from "./vocabulary.ts";

/** A profile field (`PropertyValue` attachment). `value` is unsanitized HTML. */
export interface NormalizedField {
  name: string;
  value: string;
}

/** An RSA/Ed25519 key published on an actor in PEM form. */
export interface NormalizedPublicKey {
  id: string;
  owner: string;
  publicKeyPem: string;
}

/** An actor document reduced to what Outpost needs to follow, deliver to and display it. */
export interface NormalizedActor {
  id: string;
  type: string;
  preferredUsername?: string;
  name?: string;
  summary?: string;
  inbox: string;
  outbox?: string;
  sharedInbox?: string;
  followers?: string;
  following?: string;
  featured?: string;
  url?: string;
  iconUrl?: string;
  manuallyApprovesFollowers: boolean;
  discoverable: boolean;
  alsoKnownAs: string[];
  movedTo?: string;
  published?: string;
  fields: NormalizedField[];
  /** Keys owned by this actor; keys claiming another owner are left out. */
  publicKeys: NormalizedPublicKey[];
  raw: Record<string, unknown>;
}

const propertyValueSchema = z.object({
  name: z.string(),
  value: z.union([z.string(), z.number(), z.boolean()]).transform(String),
});

const publicKeySchema = z.object({
  id: z.string().refine(isHttpUri),
  owner: z.string().optional(),
  publicKeyPem: z.string().min(1),
});

/**
 * Reads an actor document from any server. `publicKey` may be one key or an array (plus Misskey's
 * `additionalPublicKeys`), `sharedInbox` may sit in `endpoints`, at the top level (Misskey), or be
 * absent (GoToSocial), `icon` may be an Image or an array, `alsoKnownAs` a string or an array.
 */
export function normalizeActor(json: unknown): ParseResult<NormalizedActor> {
  if (!isJsonObject(json)) return failed("notAnObject", "actor is not a JSON object");

  const type = typeOf(json);
  if (type === undefined) return failed("missingField", 'actor has no "type"');
  if (!isActorType(type)) return failed("unsupportedType", `"${type}" is not an actor type`);

  const id = stringOf(json.id) ?? stringOf(json["@id"]);
  if (id === undefined) return failed("missingField", 'actor has no "id"');
  if (!isHttpUri(id)) return failed("invalidField", 'actor "id" is not an http(s) URI');

  if (json.inbox === undefined || json.inbox === null) return failed("missingField", 'actor has no "inbox"');
  const inbox = optionalHttpId(json.inbox);
  if (inbox === undefined) return failed("invalidField", 'actor "inbox" is not an http(s) URI');

  const endpoints = isJsonObject(json.endpoints) ? json.endpoints : {};
  const value: NormalizedActor = {
    id,
    type,
    inbox,
    manuallyApprovesFollowers: json.manuallyApprovesFollowers === true,
    discoverable: json.discoverable === true,
    alsoKnownAs: asArray(json.alsoKnownAs)
      .map((entry) => optionalHttpId(entry))
      .filter((entry): entry is string => entry !== undefined),
    fields: fieldsOf(json.attachment),
    publicKeys: publicKeysOf(id, [...asArray(json.publicKey), ...asArray(json.additionalPublicKeys)]),
    raw: json,
  };
  const optional: Partial<NormalizedActor> = {
    preferredUsername: stringOf(json.preferredUsername),
    name: textOf(json.name, json.nameMap),
    summary: textOf(json.summary, json.summaryMap),
    outbox: optionalHttpId(json.outbox),
    sharedInbox: optionalHttpId(endpoints.sharedInbox) ?? optionalHttpId(json.sharedInbox),
    followers: optionalHttpId(json.followers),
    following: optionalHttpId(json.following),
    featured: optionalHttpId(json.featured),
    url: urlOf(json.url),
    iconUrl: imageUrlOf(json.icon),
    movedTo: optionalHttpId(json.movedTo),
    published: stringOf(json.published),
  };
  for (const [key, entry] of Object.entries(optional)) {
    if (entry !== undefined) (value as unknown as Record<string, unknown>)[key] = entry;
  }
  return parsed(value);
}

function fieldsOf(value: unknown): NormalizedField[] {
  const fields: NormalizedField[] = [];
  for (const entry of asArray(value)) {
    if (typeOf(entry) !== "PropertyValue") continue;
    const result = propertyValueSchema.safeParse(entry);
    if (result.success) fields.push(result.data);
  }
  return fields;
}

function publicKeysOf(actorId: string, entries: unknown[]): NormalizedPublicKey[] {
  const keys = new Map<string, NormalizedPublicKey>();
  for (const entry of entries) {
    // A bare key id would need a fetch to be useful; the federation layer can do that.
    const result = publicKeySchema.safeParse(entry);
    if (!result.success) continue;
    const owner = result.data.owner ?? actorId;
    // A key naming another owner must not be used to authenticate this actor.
    if (owner !== actorId || keys.has(result.data.id)) continue;
    keys.set(result.data.id, { id: result.data.id, owner, publicKeyPem: result.data.publicKeyPem });
  }
  return [...keys.values()];
}
