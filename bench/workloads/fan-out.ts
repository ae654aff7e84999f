/**
 * Fan-out: a local actor with followers on many origins publishes one public
 * post; measured from the trigger until every origin has received the Create
 * with a valid signature. The same code serves the follower fan-out (shared
 * inboxes) and the large one (one follower per origin, no shared inbox).
 */
import { nowMs } from "../clock.ts";
import type { WorkloadName } from "../options.ts";
import type { SeedFollower } from "../servers/control-protocol.ts";
import { actorUrl } from "../world/layout.ts";
import type { WorkloadContext } from "./context.ts";
import { followedActor } from "./follow-intake.ts";
import { boundedTimeout, cutByBudget, settle, startCpuMeter } from "./helpers.ts";

/** Parameters of {@link runFanOut}. */
export interface RunFanOutParams {
  readonly ctx: WorkloadContext;
  readonly workload: Extract<WorkloadName, "fanout" | "wide">;
}

const WIDE_ACTOR = "wide";

/** Runs one fan-out: `fanout` posts as the round's follow-intake actor, `wide` as an actor with seeded followers. */
export async function runFanOut(params: RunFanOutParams): Promise<void> {
  const { ctx, workload } = params;
  const { target, options, layout, world, rep, deadline } = ctx;
  const sizes = options.sizes;
  const label = target.spec.label;
  const origins = workload === "fanout" ? Math.min(sizes.followers, sizes.followerOrigins) : sizes.soloOrigins;

  if (workload === "wide") {
    await target.control("POST /actors", { usernames: [WIDE_ACTOR] });
    const seeded = await target.control("GET /counts", null, { actor: WIDE_ACTOR });
    if (seeded.followers < sizes.soloOrigins) {
      const followers: SeedFollower[] = Array.from({ length: sizes.soloOrigins }, (_, n) => {
        const id = actorUrl({ layout, kind: "solo", n });
        return { id, inbox: `${id}/inbox`, sharedInbox: null };
      });
      ctx.log(`${label}: seeding ${followers.length} followers of ${WIDE_ACTOR}`);
      await target.control("POST /seed-followers", { actor: WIDE_ACTOR, followers });
    }
  }

  await settle({ target, timeoutMs: boundedTimeout({ ms: 120_000, deadline }) });
  const actor = workload === "fanout" ? followedActor({ rep }) : WIDE_ACTOR;
  ctx.log(`${label}: ${workload}: posting as ${actor} to ${origins} origins`);
  const cpu = startCpuMeter({ pid: target.pid });
  const triggeredAt = nowMs();
  const post = await target.control("POST /post", { actor, text: `Benchmark post ${ctx.runTag} ${rep + 1}` });
  const arrived = await world.request("awaitCreate", {
    id: post.objectId,
    origins,
    timeoutMs: boundedTimeout({ ms: Math.max(30_000, origins * 30), deadline }),
  });
  const cpuSeconds = cpu.read();
  // An incomplete fan-out has no finishing time; it is left out and noted.
  if (arrived.complete && arrived.lastAt !== null) ctx.record(workload, "seconds", (arrived.lastAt - triggeredAt) / 1000);
  if (arrived.complete) ctx.record(workload, "cpuSeconds", cpuSeconds);
  if (!arrived.complete && cutByBudget({ deadline })) {
    ctx.note(workload, `round ${rep + 1}: cut short by the time budget after ${arrived.count} of ${origins} origins; left out`);
  } else if (!arrived.complete) {
    const stats = await world.request("stats", {});
    ctx.note(
      workload,
      `round ${rep + 1}: the Create reached ${arrived.count} of ${origins} origins in time (world rejections ${JSON.stringify(stats.rejectReasons)})`,
    );
  }
}
