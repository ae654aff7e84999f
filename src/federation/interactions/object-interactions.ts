/**
 * What a remote object amounts to for this server: a reply to a local
 * object, a quote of one, a mention of a local actor, or several of these.
 * A local actor hears of an object once: the author of a replied-to or
 * quoted object is not also counted as mentioned by it.
 */
import { isHttpUri } from "../../protocol/json-ld.ts";
import type { NormalizedObject } from "../../protocol/normalize.ts";
import type { InteractionKind, InteractionRecord, ObjectRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { findLiveLocalActor } from "../inbox/local-actor-lookup.ts";
import { localFollowersOf, MAX_LOCAL_ADDRESSES } from "../inbox/local-recipients.ts";
import { quoteStanding, type QuoteStanding } from "../quotes/quote-standing.ts";
import { resolveInteractionOptions } from "./options.ts";

/** Parameters of {@link interactionsOfObject}. */
export interface InteractionsOfObjectParams {
  readonly object: NormalizedObject & { attributedTo: string };
  /** The object as it was stored (visibility, published, document). */
  readonly kept: ObjectRecord;
}

/** One interaction an object amounts to, with the owner's approval where one is needed (quotes). */
export interface DerivedInteraction {
  readonly record: InteractionRecord;
  readonly approval: QuoteStanding;
}

/** The target of a reply or quote, when it is one this server keeps interactions of. */
interface Target {
  readonly uri: string;
  readonly localActorUri: string;
  /** The local object, when the target is local. */
  readonly object: ObjectRecord | null;
}

/** The interactions of a remote object, at most one of each kind. */
export async function interactionsOfObject(
  ctx: FederationContext,
  params: InteractionsOfObjectParams,
): Promise<DerivedInteraction[]> {
  const { object, kept } = params;
  const options = resolveInteractionOptions({ options: ctx.interactions });
  const now = ctx.now().toISOString();
  const record = (kind: InteractionKind, targetUri: string | null, localActorUri: string): InteractionRecord => ({
    uri: object.id,
    kind,
    targetUri,
    localActorUri,
    actorUri: object.attributedTo,
    content: object.content ?? null,
    published: kept.published,
    updated: kept.updated,
    visibility: kept.visibility,
    document: kept.document,
    createdAt: now,
    deletedAt: null,
  });

  const derived: DerivedInteraction[] = [];
  const heard = new Set<string>();
  const targetOf = (uri: string | undefined) => (uri === undefined ? null : findTarget(ctx, { uri, object, onlyLocalTargets: options.onlyLocalTargets }));

  const replied = await targetOf(object.inReplyTo);
  if (replied !== null) {
    derived.push({ record: record("reply", replied.uri, replied.localActorUri), approval: "approved" });
    heard.add(replied.localActorUri);
  }
  const quoted = await targetOf(object.quote);
  if (quoted !== null) {
    const approval =
      quoted.object === null
        ? "approved"
        : await quoteStanding(ctx, { quoteUri: object.id, target: quoted.object, actorUri: object.attributedTo });
    derived.push({ record: record("quote", quoted.uri, quoted.localActorUri), approval });
    heard.add(quoted.localActorUri);
  }

  const mentioned = object.tags.flatMap((tag) => (tag.type === "Mention" && tag.href !== undefined ? [tag.href] : []));
  const candidates = [...new Set([...mentioned, ...object.to, ...object.cc])].filter((uri) => ctx.uris.isLocal(uri));
  for (const uri of candidates.slice(0, MAX_LOCAL_ADDRESSES)) {
    const actor = await findLiveLocalActor(ctx, { uri });
    // The instance actor is addressed by relays and servers, never mentioned by people.
    if (actor === null || heard.has(actor.uri) || ctx.uris.parse(actor.uri)?.kind !== "actor") continue;
    derived.push({ record: record("mention", null, actor.uri), approval: "approved" });
    break;
  }
  return derived;
}

interface FindTargetParams {
  readonly uri: string;
  readonly object: NormalizedObject & { attributedTo: string };
  readonly onlyLocalTargets: boolean;
}

/** A live local object and its author; or, when remote targets are kept, a remote one and a local follower of the author. */
async function findTarget(ctx: FederationContext, params: FindTargetParams): Promise<Target | null> {
  const { uri } = params;
  if (ctx.uris.isLocal(uri)) {
    const target = await ctx.store.objects.get(uri);
    if (target === null || !target.local || target.deletedAt !== null || target.attributedTo === null) return null;
    return { uri, localActorUri: target.attributedTo, object: target };
  }
  if (params.onlyLocalTargets || !isHttpUri(uri)) return null;
  const [follower] = await localFollowersOf(ctx, { actorUri: params.object.attributedTo });
  return follower === undefined ? null : { uri, localActorUri: follower, object: null };
}
