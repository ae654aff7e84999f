/**
 * Follow intake: remote followers spread over many origins send signed
 * Follows to one local actor; measured until every Accept has arrived at its
 * follower with a valid signature. Each round uses a fresh local actor
 * (`fol1`, `fol2`, …), which the fan-out workload then posts as, and
 * followers of its own: a server keeps its database from round to round,
 * and followers it already knows from an earlier round would spare it the
 * fetch of each follower's key, which every new follower costs.
 */
import { nowMs } from "../clock.ts";
import type { WorkloadContext } from "./context.ts";
import { actorInboxes, boundedTimeout, cutByBudget, settle, startCpuMeter } from "./helpers.ts";

/** Parameters of {@link followedActor}. */
export interface FollowedActorParams {
  /** The round, from 0. */
  readonly rep: number;
}

/** The local actor a round's followers follow. */
export function followedActor(params: FollowedActorParams): string {
  return `fol${params.rep + 1}`;
}

/** Parameters of {@link runFollowIntake}. */
export interface RunFollowIntakeParams {
  readonly ctx: WorkloadContext;
  /** False when the follows are only setup for the fan-out. */
  readonly recordFigures: boolean;
}

/** Runs one follow-intake repetition on the context's target. */
export async function runFollowIntake(params: RunFollowIntakeParams): Promise<void> {
  const { ctx, recordFigures } = params;
  const { target, options, layout, load, world, rep, deadline } = ctx;
  const sizes = options.sizes;
  const username = followedActor({ rep });
  await target.control("POST /actors", { usernames: [username] });
  await settle({ target, timeoutMs: boundedTimeout({ ms: 120_000, deadline }) });

  const followee = await actorInboxes({ target, username });
  const batch = `follow-${rep}-${followee.inbox}`;
  ctx.log(`${target.spec.label}: follow intake: signing ${sizes.followers} Follows of ${username}`);
  await load.request("prepare", {
    batch,
    kind: "follows",
    count: sizes.followers,
    firstFollower: rep * sizes.followers,
    followee: followee.id,
    inbox: followee.inbox,
    tag: `${ctx.runTag}r${rep}`,
    layout,
  });
  const cpu = startCpuMeter({ pid: target.pid });
  const posted = await load.request("post", { batch, concurrency: sizes.followConcurrency, keep: true });
  const arrived = await world.request("awaitAccepts", {
    actor: followee.id,
    count: sizes.followers,
    timeoutMs: boundedTimeout({ ms: Math.max(30_000, sizes.followers * 60), deadline }),
  });
  const cpuSeconds = cpu.read();
  if (!recordFigures) return;
  if (!arrived.complete && cutByBudget({ deadline })) {
    ctx.note("follow", `round ${rep + 1}: cut short by the time budget after ${arrived.count} of ${sizes.followers} Accepts; left out`);
    return;
  }
  // An incomplete set is rated over the whole wait, so a stall cannot look fast.
  const endedAt = arrived.complete && arrived.lastAt !== null ? arrived.lastAt : nowMs();
  ctx.record("follow", "followsPerSecond", arrived.count / ((endedAt - posted.startedAt) / 1000));
  ctx.record("follow", "cpuSeconds", cpuSeconds);
  if (!arrived.complete) {
    const stats = await world.request("stats", {});
    ctx.note(
      "follow",
      `round ${rep + 1}: ${arrived.count} of ${sizes.followers} Accepts arrived (statuses ${JSON.stringify(posted.statuses)}, world rejections ${JSON.stringify(stats.rejectReasons)})`,
    );
  }
}
