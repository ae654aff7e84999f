/**
 * The view model of an interactions block: what a template sees. It is built
 * from records by a pure function, so rendering is tested without a store.
 * Every URL in it is http(s) and every piece of HTML in it is sanitized;
 * every other string is plain text that a template must escape.
 */
import { textOf, urlOf } from "../../protocol/normalize-helpers.ts";
import { htmlToPlainText, sanitizeRemoteHtml } from "../../protocol/sanitize.ts";
import type { ActorRecord, InteractionRecord } from "../../store/records.ts";
import { httpUrlOrNull, interactionActorOf } from "./interaction-actor.ts";

/** The author of a reply as shown. */
export interface ReplyAuthorView {
  /** Display name, or the handle when there is none (plain text). */
  readonly name: string;
  /** `@user@host`, or the actor's id when unknown (plain text). */
  readonly handle: string;
  /** http(s). */
  readonly profileUrl: string;
  /** http(s), or null when there is no avatar. */
  readonly avatarUrl: string | null;
}

/** One reply as shown. */
export interface ReplyView {
  readonly uri: string;
  /** Where to read it on its own server (http(s)). */
  readonly url: string;
  readonly author: ReplyAuthorView;
  /** The content warning (plain text), if any: the content is then shown folded. */
  readonly summary: string | null;
  /** Sanitized HTML. */
  readonly contentHtml: string;
  /** ISO 8601, when known. */
  readonly published: string | null;
  readonly edited: boolean;
}

/** Counts of each kind, public ones only. */
export interface InteractionCounts {
  readonly replies: number;
  readonly likes: number;
  readonly boosts: number;
  readonly quotes: number;
}

/** Everything an interactions block shows. */
export interface InteractionsView {
  readonly targetUri: string;
  readonly counts: InteractionCounts;
  /** In the order they are to be shown. */
  readonly replies: readonly ReplyView[];
  /** There are replies beyond the ones listed. */
  readonly hasMoreReplies: boolean;
}

/** Parameters of {@link buildInteractionsView}. */
export interface BuildInteractionsViewParams {
  readonly targetUri: string;
  readonly counts: InteractionCounts;
  /** Reply records in display order. */
  readonly replies: readonly InteractionRecord[];
  /** Cached actors by URI; a missing one is shown by its id. */
  readonly actors: ReadonlyMap<string, ActorRecord>;
  readonly hasMoreReplies: boolean;
}

/** Turns records into the view model, sanitizing content and dropping unsafe URLs. */
export function buildInteractionsView(params: BuildInteractionsViewParams): InteractionsView {
  const replies = params.replies.map((record): ReplyView => {
    const actor = interactionActorOf({ uri: record.actorUri, actor: params.actors.get(record.actorUri) ?? null });
    const handle = actor.handle ?? record.actorUri;
    const summary = textOf(record.document.summary, record.document.summaryMap);
    return {
      uri: record.uri,
      url: httpUrlOrNull({ value: urlOf(record.document.url) }) ?? httpUrlOrNull({ value: record.uri }) ?? actor.url,
      author: { name: actor.name ?? handle, handle, profileUrl: actor.url, avatarUrl: actor.iconUrl },
      summary: summary === undefined ? null : htmlToPlainText(summary),
      contentHtml: sanitizeRemoteHtml(record.content ?? ""),
      published: record.published,
      edited: record.updated !== null,
    };
  });
  return { targetUri: params.targetUri, counts: params.counts, replies, hasMoreReplies: params.hasMoreReplies };
}
