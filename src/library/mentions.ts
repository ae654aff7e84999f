/**
 * Mentions in text a host application writes: each `@user@domain` is
 * looked up (WebFinger for remote accounts, the store for local ones; both
 * cached) so the application can add Mention tags and address the people it
 * names. Servers notify on the tag and deliver on the addressing, so a post
 * needs both for a mention to reach anyone.
 */
import type { FederationContext } from "../federation/context.ts";
import { resolveMentions, type UnresolvedMention } from "../federation/outbox/actions/resolve-mentions.ts";
import { extractMentionHandles } from "../protocol/content.ts";

export type { UnresolvedMention, UnresolvedMentionReason } from "../federation/outbox/actions/resolve-mentions.ts";

/** A Mention tag, as Mastodon reads it. */
export interface Mention {
  readonly type: "Mention";
  /** The actor's URI. */
  readonly href: string;
  /** `@user@domain` as written. */
  readonly name: string;
}

/** What {@link extractMentions} found. */
export interface ExtractedMentions {
  /** One tag per mentioned actor, in order of first mention. */
  readonly tags: Mention[];
  /** The mentioned actors' URIs, to add to the object's `cc` (or `to`, for a direct message). */
  readonly cc: string[];
  readonly unresolved: UnresolvedMention[];
}

/** Parameters of {@link extractMentions}. */
export interface ExtractMentionsParams {
  /** Plain text or HTML: handles are found in either. */
  readonly text: string;
}

/**
 * Finds and resolves the `@user@domain` handles of a text. Handles are
 * compared case-insensitively and each is looked up once; two handles naming
 * the same actor yield one tag. Never throws for an unknown account: it is
 * reported in `unresolved`.
 */
export async function extractMentions(ctx: FederationContext, params: ExtractMentionsParams): Promise<ExtractedMentions> {
  const { targets, unresolved } = await resolveMentions(ctx, { text: params.text });
  const tags: Mention[] = [];
  for (const mention of extractMentionHandles(params.text)) {
    const target = targets.get(mention.handle.toLowerCase());
    // Named as first written; a second handle for the same actor adds nothing.
    if (target === undefined || tags.some((tag) => tag.href === target.uri)) continue;
    tags.push({ type: "Mention", href: target.uri, name: `@${mention.handle}` });
  }
  return { tags, cc: tags.map((tag) => tag.href), unresolved };
}
