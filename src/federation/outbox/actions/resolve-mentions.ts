/**
 * Finds the accounts a post's `@user@host` mentions name. A mention that
 * cannot be resolved stays plain text: the post still goes out, and the
 * caller is told which mentions did not become links.
 */
import { extractMentionHandles, type MentionTarget } from "../../../protocol/content.ts";
import type { ActorRecord } from "../../../store/records.ts";
import type { FederationContext } from "../../context.ts";
import { mapLimited } from "../map-limited.ts";
import { resolveAccount, type ResolveAccountReason } from "./resolve-account.ts";

/** How many mentions are looked up at the same time. */
const MENTION_CONCURRENCY = 4;

/** Most mentions resolved for one post; the rest stay text (a mention flood is spam, not conversation). */
export const MAX_MENTIONS = 50;

/** Parameters of {@link resolveMentions}. */
export interface ResolveMentionsParams {
  readonly text: string;
}

/** Why a handle was not turned into a mention. */
export type UnresolvedMentionReason = ResolveAccountReason | "tooManyMentions";

/** A mention left as text. */
export interface UnresolvedMention {
  /** `@user@host` as written. */
  readonly handle: string;
  readonly reason: UnresolvedMentionReason;
  readonly message: string;
}

/** The resolved mentions and those that could not be. */
export interface ResolvedMentions {
  /** Keyed by lower-case `user@host`, as the renderer looks them up. */
  readonly targets: Map<string, MentionTarget>;
  /** The mentioned actors, in order of first mention, each once. */
  readonly actors: ActorRecord[];
  /** Every mention left as text, with the reason. */
  readonly unresolved: UnresolvedMention[];
}

/** Resolves every distinct mention in the text (case-insensitively), a few at a time. */
export async function resolveMentions(ctx: FederationContext, params: ResolveMentionsParams): Promise<ResolvedMentions> {
  const handles = extractMentionHandles(params.text);
  const looked = handles.slice(0, MAX_MENTIONS);
  const results = await mapLimited({
    items: looked,
    limit: MENTION_CONCURRENCY,
    fn: (mention) => resolveAccount(ctx, { account: mention.handle }),
  });
  const targets = new Map<string, MentionTarget>();
  const actors: ActorRecord[] = [];
  const unresolved: UnresolvedMention[] = [];
  looked.forEach((mention, index) => {
    const result = results[index];
    if (result === undefined || !result.ok) {
      const handle = `@${mention.handle}`;
      ctx.logger.info({ handle, reason: result?.reason }, "mention left as text");
      unresolved.push({
        handle,
        reason: result?.reason ?? "accountNotFound",
        message: result?.message ?? `${handle} was not looked up`,
      });
      return;
    }
    const actor = result.actor;
    targets.set(mention.handle.toLowerCase(), actor.url === null ? { uri: actor.uri } : { uri: actor.uri, url: actor.url });
    if (!actors.some((known) => known.uri === actor.uri)) actors.push(actor);
  });
  for (const mention of handles.slice(MAX_MENTIONS)) {
    unresolved.push({
      handle: `@${mention.handle}`,
      reason: "tooManyMentions",
      message: `only the first ${MAX_MENTIONS} mentions of a text are resolved`,
    });
  }
  return { targets, actors, unresolved };
}
