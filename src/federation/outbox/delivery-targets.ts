/**
 * Who receives an activity: the addressees, turned into inboxes. Remote
 * servers get one delivery per inbox (a shared inbox serves every follower on
 * that server), local actors get the activity through the local inbox queue.
 */
import { isPublicAddress } from "../../protocol/vocabulary.ts";
import type { ActorRecord } from "../../store/records.ts";
import { resolveActor } from "../actors/actor-resolver.ts";
import type { FederationContext } from "../context.ts";
import { mapLimited } from "./map-limited.ts";

/** How many addressed remote actors are resolved at the same time. */
const RESOLVE_CONCURRENCY = 8;

/** How many blocks are read per page when collecting the sender's block list. */
const BLOCK_PAGE_SIZE = 500;

/** Parameters of {@link deliveryTargets}. */
export interface DeliveryTargetsParams {
  /** The sending (local) actor. */
  readonly actor: ActorRecord;
  /** Every address of the activity: to, cc, bto, bcc, audience and extra recipients. */
  readonly recipients: readonly string[];
  /**
   * Those of `recipients` named only in bto/bcc. The activity reaches them
   * with those fields stripped, so a shared inbox could not tell which of its
   * users it is for: they get it at their personal inbox.
   */
  readonly hidden?: readonly string[];
  /** Deliver to actors the sender blocks too (a Reject of their Follow). */
  readonly includeBlocked?: boolean;
}

/** One remote inbox and the actors it serves. */
export interface RemoteTarget {
  readonly inbox: string;
  /**
   * The actors this delivery reaches. When the inbox answers 410 Gone, these
   * are the follows to drop.
   */
  readonly recipientUris: string[];
}

/** Where an activity goes. */
export interface DeliveryTargets {
  readonly remote: RemoteTarget[];
  /** URIs of local actors that receive the activity. */
  readonly local: string[];
}

/**
 * Expands the sender's followers collection to follower inboxes, resolves
 * addressed remote actors, splits off local actors, skips the public
 * collection and collections that cannot be expanded, leaves out actors the
 * sender blocks, and dedupes remote inboxes by shared inbox (blind recipients
 * excepted).
 *
 * An addressee that cannot be resolved is logged and skipped: one unreachable
 * server must not stop a post from reaching everyone else.
 */
export async function deliveryTargets(ctx: FederationContext, params: DeliveryTargetsParams): Promise<DeliveryTargets> {
  const { actor } = params;
  const blocked = params.includeBlocked === true ? new Set<string>() : await blockedBy(ctx, actor.uri);
  const hidden = new Set(params.hidden ?? []);
  const remote = new Map<string, string[]>();
  const local = new Set<string>();

  const addRemote = (address: { actorUri: string; inbox: string; sharedInbox: string | null }, personal: boolean): void => {
    if (blocked.has(address.actorUri) || address.actorUri === actor.uri) return;
    const inbox = personal ? address.inbox : (address.sharedInbox ?? address.inbox);
    const served = remote.get(inbox);
    if (served === undefined) remote.set(inbox, [address.actorUri]);
    else if (!served.includes(address.actorUri)) served.push(address.actorUri);
  };
  const addLocal = (uri: string): void => {
    if (blocked.has(uri) || uri === actor.uri) return;
    local.add(uri);
  };

  const remoteActorUris: string[] = [];
  for (const uri of new Set(params.recipients)) {
    if (isPublicAddress(uri) || uri === actor.uri) continue;
    if (actor.followersUri !== null && uri === actor.followersUri) {
      for (const follower of await ctx.store.follows.followerInboxes(actor.uri)) {
        if (ctx.uris.isLocal(follower.actorUri)) addLocal(follower.actorUri);
        else addRemote(follower, hidden.has(uri));
      }
      continue;
    }
    if (ctx.uris.isLocal(uri)) {
      // Local collections other than the sender's followers have no delivery meaning.
      if (ctx.uris.parse(uri)?.kind === "actor") addLocal(uri);
      continue;
    }
    if (!blocked.has(uri)) remoteActorUris.push(uri);
  }

  const resolved = await mapLimited({
    items: remoteActorUris,
    limit: RESOLVE_CONCURRENCY,
    fn: async (uri) => {
      try {
        const result = await resolveActor(ctx, uri);
        if (!result.ok) {
          ctx.logger.info({ uri, reason: result.reason }, `skipping addressee: ${result.message}`);
          return null;
        }
        return result.actor;
      } catch (error) {
        ctx.logger.warn({ uri, err: error }, "skipping addressee that failed to resolve");
        return null;
      }
    },
  });
  for (const recipient of resolved) {
    if (recipient === null || recipient.deletedAt !== null) continue;
    if (recipient.local) addLocal(recipient.uri);
    else addRemote({ actorUri: recipient.uri, inbox: recipient.inbox, sharedInbox: recipient.sharedInbox }, hidden.has(recipient.uri));
  }

  return {
    remote: [...remote].map(([inbox, recipientUris]) => ({ inbox, recipientUris })),
    local: [...local],
  };
}

/** Every actor the sender blocks. Block lists are short next to follower lists, so one set beats a query per follower. */
async function blockedBy(ctx: FederationContext, actorUri: string): Promise<Set<string>> {
  const blocked = new Set<string>();
  let before: string | undefined;
  for (;;) {
    const page = await ctx.store.blocks.list(actorUri, before === undefined ? { limit: BLOCK_PAGE_SIZE } : { limit: BLOCK_PAGE_SIZE, before });
    for (const block of page.items) blocked.add(block.targetUri);
    if (page.next === null || page.items.length === 0) return blocked;
    before = page.next;
  }
}
