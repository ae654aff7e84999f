/**
 * The social verbs, each with its undo: follow, like, boost, block and
 * feature (pin). Accounts are given as `@user@host` or a URL, posts as URLs.
 */
import type { Command } from "commander";
import type { FederationContext } from "../federation/context.ts";
import {
  announceObject,
  blockActor,
  featureObject,
  followActor,
  likeObject,
  unannounceObject,
  unblockActor,
  unfeatureObject,
  unfollowActor,
  unlikeObject,
} from "../federation/outbox/actions/index.ts";
import type { ActorRecord } from "../store/records.ts";
import { finishAction, withCommandOutpost, type ActionResult, type CliIo } from "./command-kit.ts";
import { handleOf, requireLocalActor, resolveAccountUri } from "./lookup.ts";
import { requireUrl } from "./post.ts";

/** A verb on another account. */
interface AccountVerb {
  readonly name: string;
  readonly description: string;
  readonly run: (ctx: FederationContext, actor: ActorRecord, targetUri: string) => Promise<ActionResult>;
  readonly done: (actor: string, target: string) => string;
  /** Blocks are never sent, so there are no deliveries to talk about. */
  readonly neverDelivered?: boolean;
}

/** A verb on a post. */
interface ObjectVerb {
  readonly name: string;
  readonly description: string;
  readonly run: (ctx: FederationContext, actor: ActorRecord, objectUri: string) => Promise<ActionResult>;
  readonly done: (actor: string, url: string) => string;
}

const ACCOUNT_VERBS: readonly AccountVerb[] = [
  {
    name: "follow",
    description: "follow an account (it may have to approve)",
    run: (ctx, actor, target) => followActor(ctx, { actor, target }),
    done: (actor, target) => `${actor} asked to follow ${target}.`,
  },
  {
    name: "unfollow",
    description: "stop following an account",
    run: (ctx, actor, target) => unfollowActor(ctx, { actor, target }),
    done: (actor, target) => `${actor} no longer follows ${target}.`,
  },
  {
    name: "block",
    description: "block an account (also removes follows both ways; the account is not told)",
    run: (ctx, actor, target) => blockActor(ctx, { actor, target }),
    done: (actor, target) => `${actor} blocked ${target}.`,
    neverDelivered: true,
  },
  {
    name: "unblock",
    description: "unblock an account",
    run: (ctx, actor, target) => unblockActor(ctx, { actor, target }),
    done: (actor, target) => `${actor} unblocked ${target}.`,
    neverDelivered: true,
  },
];

const OBJECT_VERBS: readonly ObjectVerb[] = [
  {
    name: "like",
    description: "like a post",
    run: (ctx, actor, objectUri) => likeObject(ctx, { actor, objectUri }),
    done: (actor, url) => `${actor} liked ${url}.`,
  },
  {
    name: "unlike",
    description: "take a like back",
    run: (ctx, actor, objectUri) => unlikeObject(ctx, { actor, objectUri }),
    done: (actor, url) => `${actor} no longer likes ${url}.`,
  },
  {
    name: "boost",
    description: "boost (announce) a post to the actor's followers",
    run: (ctx, actor, objectUri) => announceObject(ctx, { actor, objectUri }),
    done: (actor, url) => `${actor} boosted ${url}.`,
  },
  {
    name: "unboost",
    description: "take a boost back",
    run: (ctx, actor, objectUri) => unannounceObject(ctx, { actor, objectUri }),
    done: (actor, url) => `${actor} no longer boosts ${url}.`,
  },
  {
    name: "feature",
    description: "pin a post of the actor's to its profile",
    run: (ctx, actor, objectUri) => featureObject(ctx, { actor, objectUri }),
    done: (actor, url) => `${actor} pinned ${url}.`,
  },
  {
    name: "unfeature",
    description: "unpin a post",
    run: (ctx, actor, objectUri) => unfeatureObject(ctx, { actor, objectUri }),
    done: (actor, url) => `${actor} unpinned ${url}.`,
  },
];

/** Registers the social verbs on the program. */
export function registerSocialCommands(params: { readonly program: Command; readonly io: CliIo }): void {
  const { program, io } = params;
  for (const verb of ACCOUNT_VERBS) {
    program
      .command(verb.name)
      .description(verb.description)
      .argument("<actor>", "a local actor's username")
      .argument("<account>", "@user@host or the account's URL")
      .action(async (actorName: string, account: string, _options: unknown, command: Command) => {
        await withCommandOutpost({
          command,
          io,
          run: async (outpost) => {
            const actor = await requireLocalActor(outpost.ctx, { input: actorName });
            const targetUri = await resolveAccountUri(outpost.ctx, { input: account });
            const result = await verb.run(outpost.ctx, actor, targetUri);
            await finishAction({
              outpost,
              io,
              result,
              success: () => [verb.done(handleOf(actor), account)],
              quietWithoutDeliveries: verb.neverDelivered,
            });
          },
        });
      });
  }
  for (const verb of OBJECT_VERBS) {
    program
      .command(verb.name)
      .description(verb.description)
      .argument("<actor>", "a local actor's username")
      .argument("<url>", "the post's URL")
      .action(async (actorName: string, url: string, _options: unknown, command: Command) => {
        requireUrl({ option: "<url>", value: url });
        await withCommandOutpost({
          command,
          io,
          run: async (outpost) => {
            const actor = await requireLocalActor(outpost.ctx, { input: actorName });
            const result = await verb.run(outpost.ctx, actor, url);
            await finishAction({ outpost, io, result, success: () => [verb.done(handleOf(actor), url)] });
          },
        });
      });
  }
}
