/**
 * Follow requests of actors that approve followers by hand: listing the ones
 * waiting, and accepting or rejecting one (rejecting an accepted follower
 * removes it). A follower is named by its actor URI or its `@user@host`.
 */
import { getLocalActor } from "../federation/actors/local-actors.ts";
import type { FederationContext } from "../federation/context.ts";
import { refuse, type ActionFailure, type Published } from "../federation/outbox/actions/action-result.ts";
import {
  acceptFollower,
  rejectFollower,
  type AcceptFollowerReason,
  type RejectFollowerReason,
} from "../federation/outbox/actions/follow-requests.ts";
import { accountUri, type ResolveAccountReason } from "../federation/outbox/actions/resolve-account.ts";

/** A follow request waiting for an answer. */
export interface PendingFollower {
  /** The follower's actor URI: pass it to `accept` or `reject`. */
  readonly follower: string;
  /** `@user@host` when the follower's actor is known. */
  readonly handle: string | null;
  readonly name: string | null;
  /** When the request arrived. */
  readonly requestedAt: string;
}

/** Why a request was not answered. */
export type FollowerApprovalReason = AcceptFollowerReason | RejectFollowerReason | ResolveAccountReason | "unknownActor";

/** The Accept or Reject sent, or why not. */
export type FollowerApprovalResult = Published | ActionFailure<FollowerApprovalReason>;

/** The approval methods bound to an Outpost. */
export interface FollowerApproval {
  /** Follow requests of a local actor waiting for an answer, oldest first (at most `limit`, default 1000). */
  pending(username: string, options?: { readonly limit?: number }): Promise<PendingFollower[]>;
  /** Accepts a waiting request: the follower starts receiving the actor's posts. */
  accept(username: string, follower: string): Promise<FollowerApprovalResult>;
  /** Rejects a waiting request, or removes an accepted follower. */
  reject(username: string, follower: string): Promise<FollowerApprovalResult>;
}

const PAGE_SIZE = 200;
const DEFAULT_LIMIT = 1000;

/** Binds the approval methods to a context. */
export function createFollowerApproval(ctx: FederationContext): FollowerApproval {
  const answer = async (
    username: string,
    follower: string,
    verb: typeof acceptFollower | typeof rejectFollower,
  ): Promise<FollowerApprovalResult> => {
    const actor = await getLocalActor(ctx, username);
    if (actor === null) return refuse({ reason: "unknownActor", message: `there is no local actor "${username}"` });
    const uri = await accountUri(ctx, { account: follower });
    if (!uri.ok) return uri;
    const result = await verb(ctx, { actor, follower: uri.uri });
    return result.ok ? { ok: true, activityUri: result.activityUri, deliveries: result.deliveries } : result;
  };

  return {
    async pending(username, options) {
      const actor = await getLocalActor(ctx, username);
      if (actor === null) return [];
      const limit = Math.max(1, options?.limit ?? DEFAULT_LIMIT);
      const follows = [];
      let before: string | undefined;
      while (follows.length < limit) {
        const page = await ctx.store.follows.listFollowers(actor.uri, "pending", {
          limit: Math.min(PAGE_SIZE, limit - follows.length),
          ...(before === undefined ? {} : { before }),
        });
        follows.push(...page.items);
        if (page.next === null || page.items.length === 0) break;
        before = page.next;
      }
      const pending = await Promise.all(
        follows.map(async (follow): Promise<PendingFollower> => {
          const known = await ctx.store.actors.get(follow.followerUri);
          return {
            follower: follow.followerUri,
            handle: known === null ? null : `@${known.username}@${known.host}`,
            name: known?.name ?? null,
            requestedAt: follow.createdAt,
          };
        }),
      );
      // Pages come newest first; whoever asked first is answered first.
      return pending.reverse();
    },
    accept: (username, follower) => answer(username, follower, acceptFollower),
    reject: (username, follower) => answer(username, follower, rejectFollower),
  };
}
