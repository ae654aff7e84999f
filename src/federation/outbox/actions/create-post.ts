/**
 * Writing a post: plain text in, a Note wrapped in a Create out, addressed
 * the way Mastodon addresses a post of the chosen visibility, with its
 * mentions and hashtags as links and tags.
 */
import { addressFor, recipientsOf, type Visibility } from "../../../protocol/addressing.ts";
import { renderPlainText } from "../../../protocol/content.ts";
import { buildCreate } from "../../../protocol/activities.ts";
import { buildNote } from "../../../protocol/note.ts";
import type { ActorRecord, ObjectRecord } from "../../../store/records.ts";
import { resolveActor } from "../../actors/actor-resolver.ts";
import type { FederationContext } from "../../context.ts";
import { publishActivity } from "../publish.ts";
import { refuse, type ActionFailure, type Published } from "./action-result.ts";
import { guardActor, type ActorGuardReason } from "./actor-guard.ts";
import { findObject } from "./find-object.ts";
import { newActivityUri, newObjectUri } from "./mint-uris.ts";
import { checkPostInput, type PostInputReason } from "./post-input.ts";
import { resolveMentions } from "./resolve-mentions.ts";

const VISIBILITIES: readonly Visibility[] = ["public", "unlisted", "followers", "direct"];

/** Parameters of {@link createPost}. */
export interface CreatePostParams {
  readonly actor: ActorRecord;
  /** Plain text; `@user@host` mentions, `#hashtags` and URLs become links. */
  readonly text: string;
  /** Public unless given. */
  readonly visibility?: Visibility;
  /** A content warning; the post is then marked sensitive. */
  readonly summary?: string;
  /** The post this one answers. */
  readonly inReplyTo?: string;
  /** BCP 47 language of the text. */
  readonly language?: string;
}

/** Why a post was not made. */
export type CreatePostReason = ActorGuardReason | PostInputReason | "invalidVisibility" | "replyNotFound";

/** The published post, or why not. */
export type CreatePostResult =
  | (Published & {
      readonly objectUri: string;
      /** `@user@host` of mentions that could not be resolved and stayed plain text. */
      readonly unresolvedMentions: string[];
    })
  | ActionFailure<CreatePostReason>;

/** Creates and publishes a post of a local actor. */
export async function createPost(ctx: FederationContext, params: CreatePostParams): Promise<CreatePostResult> {
  const { actor } = params;
  const visibility = params.visibility ?? "public";
  const summary = params.summary === "" ? undefined : params.summary;
  const refused = guardActor({ actor }) ?? checkPostInput({ text: params.text, summary, language: params.language });
  if (refused !== null) return refused;
  if (!VISIBILITIES.includes(visibility)) {
    return refuse({ reason: "invalidVisibility", message: `visibility must be one of ${VISIBILITIES.join(", ")}` });
  }

  let parentAuthor: string | undefined;
  let inReplyTo: string | undefined;
  if (params.inReplyTo !== undefined) {
    const parent = await findObject(ctx, { uri: params.inReplyTo });
    if (!parent.ok) return refuse({ reason: "replyNotFound", message: `cannot reply: ${parent.message}` });
    inReplyTo = parent.object.uri;
    parentAuthor = parent.object.attributedTo;
  }

  const mentions = await resolveMentions(ctx, { text: params.text });
  const rendered = renderPlainText({ text: params.text, mentions: mentions.targets, hashtagBase: ctx.uris.hashtagBase() });
  const addressees = mentions.actors.map((mentioned) => mentioned.uri);
  const tags = rendered.tags;
  if (parentAuthor !== undefined && parentAuthor !== actor.uri) {
    addressees.push(parentAuthor);
    // Servers notify on Mention tags, not on addressing: without one the author never hears of the reply.
    if (!tags.some((tag) => tag.type === "Mention" && tag.href === parentAuthor)) {
      const author = await resolveActor(ctx, parentAuthor);
      if (author.ok) tags.push({ type: "Mention", href: parentAuthor, name: `@${author.actor.username}@${author.actor.host}` });
    }
  }
  const followersUri = actor.followersUri ?? ctx.uris.followers(actor.username);
  const { to, cc } = addressFor({
    visibility,
    followersUri,
    mentions: addressees.filter((uri) => uri !== actor.uri),
  });

  const now = ctx.now().toISOString();
  const objectUri = newObjectUri(ctx, { actor });
  const note = buildNote({
    id: objectUri,
    attributedTo: actor.uri,
    content: rendered.html,
    to,
    cc,
    published: now,
    url: objectUri,
    tags,
    ...(inReplyTo === undefined ? {} : { inReplyTo }),
    ...(summary === undefined ? {} : { summary }),
    ...(params.language === undefined ? {} : { language: params.language }),
  });
  const create = buildCreate({ id: newActivityUri(ctx, { actor }), actor: actor.uri, object: note, to, cc, published: now });
  const object: ObjectRecord = {
    uri: objectUri,
    type: "Note",
    attributedTo: actor.uri,
    local: true,
    visibility,
    inReplyTo: inReplyTo ?? null,
    published: now,
    updated: null,
    recipients: recipientsOf(note),
    document: note,
    deletedAt: null,
    formerType: null,
  };
  const published = await publishActivity(ctx, { actor, activity: create, object });
  return {
    ok: true,
    objectUri,
    activityUri: published.activityUri,
    deliveries: published.deliveries,
    unresolvedMentions: mentions.unresolved.map((mention) => mention.handle),
  };
}
