/**
 * Editing a post: the text is rendered again, `updated` moves forward, and
 * an Update carrying the whole new version goes to everyone the post reached
 * (and to anyone newly mentioned).
 */
import { buildUpdate } from "../../../protocol/activities.ts";
import { recipientsOf } from "../../../protocol/addressing.ts";
import { renderPlainText } from "../../../protocol/content.ts";
import { asArray, isJsonObject } from "../../../protocol/json-ld.ts";
import { addressList } from "../../../protocol/normalize-helpers.ts";
import { buildNote } from "../../../protocol/note.ts";
import type { ActorRecord, ObjectRecord } from "../../../store/records.ts";
import type { FederationContext } from "../../context.ts";
import { publishActivity } from "../publish.ts";
import type { ActionFailure, Published } from "./action-result.ts";
import { guardActor, type ActorGuardReason } from "./actor-guard.ts";
import { newActivityUri } from "./mint-uris.ts";
import { nextUpdated } from "./next-updated.ts";
import { ownLiveObject, type OwnObjectReason } from "./own-object.ts";
import { checkPostInput, type PostInputReason } from "./post-input.ts";
import { resolveMentions } from "./resolve-mentions.ts";

/** Parameters of {@link editPost}. */
export interface EditPostParams {
  readonly actor: ActorRecord;
  readonly objectUri: string;
  /** The new plain text. */
  readonly text: string;
  /** The new content warning; `""` removes it, leaving it out keeps the current one. */
  readonly summary?: string;
}

/** Why the post was not edited. */
export type EditPostReason = ActorGuardReason | OwnObjectReason | PostInputReason;

/** The Update sent, or why not. */
export type EditPostResult =
  | (Published & {
      readonly objectUri: string;
      readonly updated: string;
      readonly unresolvedMentions: string[];
    })
  | ActionFailure<EditPostReason>;

/** Replaces the text of one of the actor's posts and publishes the new version. */
export async function editPost(ctx: FederationContext, params: EditPostParams): Promise<EditPostResult> {
  const { actor } = params;
  const guarded = guardActor({ actor });
  if (guarded !== null) return guarded;
  const own = await ownLiveObject(ctx, { actor, objectUri: params.objectUri });
  if (!own.ok) return own;
  const current = own.object;
  const document = current.document;
  const summary = params.summary !== undefined ? params.summary : typeof document.summary === "string" ? document.summary : "";
  const refused = checkPostInput({ text: params.text, summary });
  if (refused !== null) return refused;

  const mentions = await resolveMentions(ctx, { text: params.text });
  const rendered = renderPlainText({ text: params.text, mentions: mentions.targets, hashtagBase: ctx.uris.hashtagBase() });
  const to = addressList(document.to);
  const cc = addressList(document.cc);
  // A direct message reaches only its `to`; any other post names mentioned people in `cc`.
  const newly = mentions.actors.map((mentioned) => mentioned.uri).filter((uri) => uri !== actor.uri && !to.includes(uri) && !cc.includes(uri));
  if (current.visibility === "direct") to.push(...newly);
  else cc.push(...newly);

  const updated = nextUpdated({ now: ctx.now(), updated: current.updated, published: current.published });
  const language = isJsonObject(document.contentMap) ? Object.keys(document.contentMap)[0] : undefined;
  const note = buildNote({
    id: current.uri,
    attributedTo: actor.uri,
    content: rendered.html,
    to,
    cc,
    published: current.published ?? updated,
    updated,
    url: typeof document.url === "string" ? document.url : current.uri,
    tags: rendered.tags,
    attachments: asArray(document.attachment).filter(isJsonObject),
    ...(current.inReplyTo === null ? {} : { inReplyTo: current.inReplyTo }),
    ...(summary === "" ? {} : { summary }),
    ...(language === undefined ? {} : { language }),
  });
  const update = buildUpdate({ id: newActivityUri(ctx, { actor }), actor: actor.uri, object: note, to, cc, published: updated });
  // Blind recipients of the original stay recipients (and blind): they hold the old version too.
  const hidden = current.recipients.filter((uri) => !to.includes(uri) && !cc.includes(uri));
  if (hidden.length > 0) update.bcc = hidden;
  const object: ObjectRecord = { ...current, updated, recipients: [...new Set([...recipientsOf(note), ...hidden])], document: note };
  const published = await publishActivity(ctx, { actor, activity: update, object });
  return {
    ok: true,
    objectUri: current.uri,
    updated,
    activityUri: published.activityUri,
    deliveries: published.deliveries,
    unresolvedMentions: mentions.unresolved.map((mention) => mention.handle),
  };
}
