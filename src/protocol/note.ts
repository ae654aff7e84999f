import { likesUri, repliesUri, sharesUri } from "./uris.ts";
import { objectContext } from "./vocabulary.ts";

/** Everything a local Note is built from. */
export interface NoteParams {
  readonly id: string;
  readonly attributedTo: string;
  /** Body, already HTML. */
  readonly content: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly published: string;
  readonly inReplyTo?: string;
  /** Content warning, plain text. */
  readonly summary?: string;
  /** Defaults to true when there is a content warning, as Mastodon expects. */
  readonly sensitive?: boolean;
  /** BCP 47 tag of the content's language; adds `contentMap`. */
  readonly language?: string;
  /** Mention, Hashtag and Emoji tags. */
  readonly tags?: readonly Record<string, unknown>[];
  /** Media attachments (Document/Image objects). */
  readonly attachments?: readonly Record<string, unknown>[];
  /** HTML page of the post. */
  readonly url?: string;
  /** When the post was last edited, ISO 8601. */
  readonly updated?: string;
  /** The quoted post, sent as `quote` and the older `quoteUrl`/`_misskey_quote`. */
  readonly quote?: string;
}

/**
 * A Note document in the shape Mastodon-compatible servers expect, with `contentMap` when the
 * language is known and links to its replies, likes and shares collections.
 */
export function buildNote(params: NoteParams): Record<string, unknown> {
  const summary = params.summary !== undefined && params.summary !== "" ? params.summary : undefined;
  const doc: Record<string, unknown> = {
    "@context": objectContext(),
    id: params.id,
    type: "Note",
    attributedTo: params.attributedTo,
    // Mastodon sends explicit nulls here; some servers treat a missing inReplyTo as unknown.
    summary: summary ?? null,
    inReplyTo: params.inReplyTo ?? null,
    published: params.published,
  };
  if (params.updated !== undefined) doc.updated = params.updated;
  if (params.url !== undefined) doc.url = params.url;
  Object.assign(doc, {
    to: [...params.to],
    cc: [...params.cc],
    sensitive: params.sensitive ?? summary !== undefined,
    content: params.content,
  });
  if (params.language !== undefined) doc.contentMap = { [params.language]: params.content };
  if (params.quote !== undefined) {
    Object.assign(doc, { quote: params.quote, quoteUrl: params.quote, _misskey_quote: params.quote });
  }
  Object.assign(doc, {
    attachment: [...(params.attachments ?? [])],
    tag: [...(params.tags ?? [])],
    replies: repliesUri(params.id),
    likes: likesUri(params.id),
    shares: sharesUri(params.id),
  });
  return doc;
}
