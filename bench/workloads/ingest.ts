/**
 * Inbox ingest: signed public Creates from many remote actors POSTed to the
 * target's shared inbox over keep-alive connections. Measures the HTTP side
 * (requests per second, latency) and the end-to-end rate: until every
 * accepted activity is verified, processed and stored. Peak memory during the
 * phase goes to the footprint figures.
 */
import { nowMs } from "../clock.ts";
import { watchPeakRss } from "../proc-stats.ts";
import { actorUrl } from "../world/layout.ts";
import type { WorkloadContext } from "./context.ts";
import { actorInboxes, boundedTimeout, cutByBudget, settle, startCpuMeter, waitForCounts } from "./helpers.ts";

const MB = 1024 * 1024;

/** Runs one ingest repetition on the context's target. */
export async function runIngest(ctx: WorkloadContext): Promise<void> {
  const { target, options, layout, load, rep, deadline } = ctx;
  const sizes = options.sizes;
  const label = target.spec.label;

  if (target.spec.keepsFollowedPostsOnly) {
    // This server keeps posts only from actors someone here follows; following is setup, not measured.
    const senders = Array.from({ length: sizes.senders }, (_, n) => actorUrl({ layout, kind: "sender", n }));
    const until = (counts: { following: number }) => counts.following >= senders.length;
    const already = await target.control("GET /counts", null, { actor: "bench" });
    if (!until(already)) {
      ctx.log(`${label}: following ${senders.length} senders before ingest`);
      await target.control("POST /follow", { actor: "bench", targets: senders });
      const followed = await waitForCounts({
        target,
        actor: "bench",
        until,
        timeoutMs: boundedTimeout({ ms: 120_000, deadline }),
        intervalMs: 100,
      });
      if (followed.metAt === null) {
        ctx.note("ingest", `only ${followed.counts.following} of ${senders.length} follows of senders were accepted`);
      }
    }
  }
  const { sharedInbox } = await actorInboxes({ target, username: "bench" });
  await settle({ target, timeoutMs: boundedTimeout({ ms: 120_000, deadline }) });

  // The batch is named by round and inbox: a second server at the same address reuses the signed requests.
  const batch = `ingest-${rep}-${sharedInbox}`;
  ctx.log(`${label}: ingest: signing ${sizes.ingestActivities} Creates (unless already signed)`);
  await load.request("prepare", {
    batch,
    kind: "creates",
    count: sizes.ingestActivities,
    senders: sizes.senders,
    inbox: sharedInbox,
    tag: `${ctx.runTag}r${rep}n`,
    layout,
  });
  const before = (await target.control("GET /counts", null)).storedPosts;
  const cpu = startCpuMeter({ pid: target.pid });
  const memory = watchPeakRss({ pid: target.pid, intervalMs: 50 });
  ctx.log(`${label}: ingest: posting`);
  const posted = await load.request("post", { batch, concurrency: sizes.ingestConcurrency, keep: true });
  const accepted = Object.entries(posted.statuses)
    .filter(([status]) => /^2\d\d$/.test(status))
    .reduce((sum, [, count]) => sum + count, 0);
  // What was stored when the last POST was answered tells intake and processing apart in the log.
  const atLastAnswer = { stored: (await target.control("GET /counts", null)).storedPosts - before, at: nowMs() };
  // A slow server gets time in proportion to the load, within its share of the run.
  const timeoutMs = boundedTimeout({ ms: Math.max(30_000, sizes.ingestActivities * 10), deadline });
  const stored = await waitForCounts({
    target,
    until: (counts) => counts.storedPosts - before >= accepted,
    timeoutMs,
    intervalMs: 50,
  });
  const cpuSeconds = cpu.read();
  const peak = memory.stop();
  const storedCount = Math.min(accepted, stored.counts.storedPosts - before);
  const endedAt = stored.metAt ?? nowMs();

  ctx.record("ingest", "httpRps", posted.requestsPerSecond);
  ctx.record("ingest", "p50Ms", posted.p50Ms);
  ctx.record("ingest", "p99Ms", posted.p99Ms);
  ctx.record("footprint", "peakIngestRssMb", peak / MB);
  if (accepted < posted.requests) {
    ctx.note("ingest", `round ${rep + 1}: ${posted.requests - accepted} requests not accepted (${JSON.stringify(posted.statuses)})`);
  }
  if (stored.metAt === null && cutByBudget({ deadline })) {
    ctx.note("ingest", `round ${rep + 1}: cut short by the time budget after ${storedCount} of ${accepted} stored; end-to-end rate left out`);
    return;
  }
  ctx.record("ingest", "storedPerSecond", storedCount / ((endedAt - posted.startedAt) / 1000));
  const backlog = storedCount - atLastAnswer.stored;
  if (backlog > 0 && endedAt > atLastAnswer.at) {
    ctx.log(
      `${label}: ingest: ${atLastAnswer.stored} stored while POSTs were answered (${((posted.finishedAt - posted.startedAt) / 1000).toFixed(2)} s), ` +
        `the other ${backlog} after them at ${Math.round(backlog / ((endedAt - atLastAnswer.at) / 1000))}/s`,
    );
  }
  ctx.record("ingest", "cpuSeconds", cpuSeconds);
  if (stored.metAt === null) {
    ctx.note("ingest", `round ${rep + 1}: only ${storedCount} of ${accepted} accepted activities stored in ${(timeoutMs / 1000).toFixed(0)} s`);
  }
}
