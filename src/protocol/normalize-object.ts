import { asArray, idOf, isHttpUri, isJsonObject, typeOf } from "./json-ld.ts";
import { addressList, optionalHttpId, stringOf, textOf, urlOf } from "./normalize-helpers.ts";
import { failed, parsed, type ParseResult } from "./parse-result.ts";
import { isActivityType, isActorType } from "./vocabulary.ts";

/** A tag on an object: Mention, Hashtag, Emoji, or anything else a server attaches. */
export interface NormalizedTag {
  type: string;
  href?: string;
  name?: string;
}

/** A media attachment (or Link) on an object. */
export interface NormalizedAttachment {
  type: string;
  url: string;
  mediaType?: string;
  /** Alt text or file name. */
  name?: string;
}

/** A content object (Note, Article, Page, Video, Review, ...) reduced to what Outpost shows. */
export interface NormalizedObject {
  id: string;
  type: string;
  attributedTo?: string;
  inReplyTo?: string;
  /** From `content` or, failing that, `contentMap`. Unsanitized. */
  content?: string;
  /** Media type of `content` when the sender states one (PeerTube sends markdown). */
  mediaType?: string;
  /** Title: Lemmy posts, PeerTube videos, BookWyrm reviews. */
  name?: string;
  /** Content warning. */
  summary?: string;
  sensitive: boolean;
  published?: string;
  updated?: string;
  url?: string;
  to: string[];
  cc: string[];
  tags: NormalizedTag[];
  /** Always set by normalizeObject; optional so hand-built values may leave it out. */
  attachments?: NormalizedAttachment[];
  /** The quoted post, from `quote`, `quoteUrl`, `quoteUri` or `_misskey_quote`. */
  quote?: string;
  raw: Record<string, unknown>;
}

/** Quote properties in order of preference: FEP-044f first, then the older extensions. */
const QUOTE_PROPERTIES = ["quote", "quoteUrl", "quoteUri", "_misskey_quote"] as const;

/** Authors preferred when `attributedTo` lists several (PeerTube: account and channel). */
const AUTHOR_TYPE_PREFERENCE = ["Person", "Service", "Application", "Organization", "Group"];

/**
 * Reads a content object from any server. Lemmy Page, BookWyrm Review, PeerTube Video and the
 * rest normalize like a Note. Rejects actors and activities, and ids that are not http(s) URIs.
 */
export function normalizeObject(json: unknown): ParseResult<NormalizedObject> {
  if (!isJsonObject(json)) return failed("notAnObject", "object is not a JSON object");

  const type = typeOf(json);
  if (type === undefined) return failed("missingField", 'object has no "type"');
  if (isActorType(type)) return failed("unsupportedType", `"${type}" is an actor, not an object`);
  if (isActivityType(type)) return failed("unsupportedType", `"${type}" is an activity, not an object`);

  const id = stringOf(json.id) ?? stringOf(json["@id"]);
  if (id === undefined) return failed("missingField", 'object has no "id"');
  if (!isHttpUri(id)) return failed("invalidField", 'object "id" is not an http(s) URI');

  const value: NormalizedObject = {
    id,
    type,
    sensitive: json.sensitive === true,
    to: addressList(json.to),
    cc: addressList(json.cc),
    tags: tagsOf(json.tag),
    attachments: attachmentsOf(json.attachment),
    raw: json,
  };
  assignDefined(value, {
    // Pleroma also states `actor` on objects; use it when `attributedTo` is missing.
    attributedTo: authorOf(json.attributedTo) ?? optionalHttpId(json.actor),
    inReplyTo: optionalHttpId(json.inReplyTo),
    content: textOf(json.content, json.contentMap),
    mediaType: stringOf(json.mediaType),
    name: textOf(json.name, json.nameMap),
    summary: textOf(json.summary, json.summaryMap),
    published: stringOf(json.published),
    updated: stringOf(json.updated),
    url: urlOf(json.url),
    quote: quoteOf(json),
  });
  return parsed(value);
}

function assignDefined<T extends object>(target: T, values: Partial<T>): void {
  for (const [key, entry] of Object.entries(values)) {
    if (entry !== undefined) (target as Record<string, unknown>)[key] = entry;
  }
}

function authorOf(value: unknown): string | undefined {
  const candidates = asArray(value).filter((entry) => isHttpUri(idOf(entry)));
  for (const preferred of AUTHOR_TYPE_PREFERENCE) {
    const match = candidates.find((entry) => typeOf(entry) === preferred);
    if (match !== undefined) return idOf(match);
  }
  return idOf(candidates[0]);
}

function quoteOf(json: Record<string, unknown>): string | undefined {
  for (const property of QUOTE_PROPERTIES) {
    // BookWyrm's `quote` is the quoted passage of a book, not a URI, and is skipped here.
    const id = optionalHttpId(json[property]);
    if (id !== undefined) return id;
  }
  return undefined;
}

function tagsOf(value: unknown): NormalizedTag[] {
  const tags: NormalizedTag[] = [];
  for (const entry of asArray(value)) {
    if (!isJsonObject(entry)) continue;
    const type = typeOf(entry);
    if (type === undefined) continue;
    const tag: NormalizedTag = { type };
    const href = stringOf(entry.href);
    if (href !== undefined && isHttpUri(href)) tag.href = href;
    const name = stringOf(entry.name);
    if (name !== undefined) tag.name = name;
    tags.push(tag);
  }
  return tags;
}

function attachmentsOf(value: unknown): NormalizedAttachment[] {
  const attachments: NormalizedAttachment[] = [];
  for (const entry of asArray(value)) {
    if (!isJsonObject(entry)) continue;
    const type = typeOf(entry) ?? "Document";
    // PropertyValue attachments are profile fields, not media.
    if (type === "PropertyValue") continue;
    const url = urlOf(entry.url ?? entry.href);
    if (url === undefined) continue;
    const attachment: NormalizedAttachment = { type, url };
    const mediaType = stringOf(entry.mediaType);
    if (mediaType !== undefined) attachment.mediaType = mediaType;
    const name = textOf(entry.name) ?? textOf(entry.summary);
    if (name !== undefined) attachment.name = name;
    attachments.push(attachment);
  }
  return attachments;
}
