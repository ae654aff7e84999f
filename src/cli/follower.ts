/**
 * `outpost follower …`: see who follows a local actor, and answer follow
 * requests when the actor approves followers by hand.
 */
import type { Command } from "commander";
import { acceptFollower, rejectFollower } from "../federation/outbox/actions/index.ts";
import type { FollowState } from "../store/records.ts";
import { finishAction, println, withCommandOutpost, type CliIo } from "./command-kit.ts";
import { handleOf, requireLocalActor, resolveAccountUri } from "./lookup.ts";
import { formatTable } from "./table.ts";

const PAGE_SIZE = 200;

/** Registers `follower list|accept|reject` on the program. */
export function registerFollowerCommands(params: { readonly program: Command; readonly io: CliIo }): void {
  const { program, io } = params;
  const follower = program.command("follower").description("list followers and answer follow requests");

  follower
    .command("list <actor>")
    .description("list the followers of a local actor")
    .option("--pending", "list follow requests waiting for approval instead")
    .action(async (actorName: string, options: { pending?: boolean }, command: Command) => {
      await withCommandOutpost({
        command,
        io,
        run: async (outpost) => {
          const actor = await requireLocalActor(outpost.ctx, { input: actorName });
          const state: FollowState = options.pending === true ? "pending" : "accepted";
          const rows: string[][] = [];
          let before: string | undefined;
          do {
            const page = await outpost.store.follows.listFollowers(actor.uri, state, { limit: PAGE_SIZE, before });
            for (const follow of page.items) {
              const record = await outpost.store.actors.get(follow.followerUri);
              rows.push([record === null ? "-" : handleOf(record), follow.createdAt, follow.followerUri]);
            }
            before = page.next ?? undefined;
          } while (before !== undefined);
          if (rows.length === 0) {
            println({ to: io.stdout, line: options.pending === true ? "No pending follow requests." : "No followers yet." });
            return;
          }
          println({ to: io.stdout, line: formatTable({ header: ["HANDLE", "SINCE", "URI"], rows }) });
        },
      });
    });

  follower
    .command("accept <actor> <follower>")
    .description("accept a pending follow request (follower: @user@host or URL)")
    .action(async (actorName: string, followerName: string, _options: unknown, command: Command) => {
      await withCommandOutpost({
        command,
        io,
        run: async (outpost) => {
          const actor = await requireLocalActor(outpost.ctx, { input: actorName });
          const followerUri = await resolveAccountUri(outpost.ctx, { input: followerName });
          const result = await acceptFollower(outpost.ctx, { actor, follower: followerUri });
          await finishAction({ outpost, io, result, success: () => [`${followerUri} now follows ${handleOf(actor)}.`] });
        },
      });
    });

  follower
    .command("reject <actor> <follower>")
    .description("reject a pending follow request (follower: @user@host or URL)")
    .action(async (actorName: string, followerName: string, _options: unknown, command: Command) => {
      await withCommandOutpost({
        command,
        io,
        run: async (outpost) => {
          const actor = await requireLocalActor(outpost.ctx, { input: actorName });
          const followerUri = await resolveAccountUri(outpost.ctx, { input: followerName });
          const result = await rejectFollower(outpost.ctx, { actor, follower: followerUri });
          await finishAction({ outpost, io, result, success: () => [`Rejected the follow request of ${followerUri}.`] });
        },
      });
    });
}
