import { isJsonObject } from "./json-ld.ts";
import { addressList } from "./normalize-helpers.ts";
import { isPublicAddress, PUBLIC_COLLECTION } from "./vocabulary.ts";

/** Who may see a post, in Mastodon's terms. */
export type Visibility = "public" | "unlisted" | "followers" | "direct";

/** Addressing of a post. */
export interface VisibilityParams {
  readonly to: readonly string[];
  readonly cc: readonly string[];
  /** The author's followers collection; when unknown, any `/followers` URI counts. */
  readonly followersUri?: string;
}

/**
 * The visibility implied by a post's addressing, as Mastodon reads it: public in `to` is public,
 * public in `cc` is unlisted, the followers collection is followers-only, anything else is direct.
 */
export function visibilityOf(params: VisibilityParams): Visibility {
  const { to, cc, followersUri } = params;
  if (to.some(isPublicAddress)) return "public";
  if (cc.some(isPublicAddress)) return "unlisted";
  const isFollowers =
    followersUri === undefined
      ? (uri: string) => /\/followers\/?$/.test(uri)
      : (uri: string) => uri === followersUri;
  if (to.some(isFollowers) || cc.some(isFollowers)) return "followers";
  return "direct";
}

/** What a new post should be addressed to. */
export interface AddressForParams {
  readonly visibility: Visibility;
  readonly followersUri: string;
  /** Actor URIs of the people mentioned. */
  readonly mentions: readonly string[];
}

/** The `to`/`cc` for a post of the given visibility, as Mastodon addresses them. */
export function addressFor(params: AddressForParams): { to: string[]; cc: string[] } {
  const { visibility, followersUri } = params;
  const mentions = [...new Set(params.mentions)];
  switch (visibility) {
    case "public":
      return { to: [PUBLIC_COLLECTION], cc: [followersUri, ...mentions] };
    case "unlisted":
      return { to: [followersUri], cc: [PUBLIC_COLLECTION, ...mentions] };
    case "followers":
      return { to: [followersUri], cc: mentions };
    case "direct":
      return { to: mentions, cc: [] };
  }
}

/** The addressing fields of an activity or object, each one value or many. */
export interface Addressed {
  readonly to?: unknown;
  readonly cc?: unknown;
  readonly bto?: unknown;
  readonly bcc?: unknown;
  readonly audience?: unknown;
}

/**
 * Everyone an activity is addressed to, across all addressing fields, without duplicates and
 * without the public collection (which is not somewhere to deliver).
 */
export function recipientsOf(activity: Addressed): string[] {
  const recipients = new Set<string>();
  for (const field of [activity.to, activity.cc, activity.bto, activity.bcc, activity.audience]) {
    for (const uri of addressList(field)) {
      if (uri !== PUBLIC_COLLECTION) recipients.add(uri);
    }
  }
  return [...recipients];
}

/**
 * A copy of a document without `bto`/`bcc`, on the document and on an embedded `object`: blind
 * recipients are used for delivery and must never be shown to the recipients.
 */
export function stripHiddenRecipients<T extends Record<string, unknown>>(doc: T): T {
  const { bto: _bto, bcc: _bcc, ...rest } = doc;
  const copy: Record<string, unknown> = rest;
  if (isJsonObject(copy.object)) copy.object = stripHiddenRecipients(copy.object);
  else if (Array.isArray(copy.object)) {
    copy.object = copy.object.map((entry: unknown) => (isJsonObject(entry) ? stripHiddenRecipients(entry) : entry));
  }
  return copy as T;
}
