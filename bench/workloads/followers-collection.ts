/**
 * The followers collection of an actor with very many followers, seeded
 * straight into the server's storage: p99 latency of its first page and of a
 * page far down. The deep page's cursor is built from the first page's
 * `next` link (both servers use numeric cursors a page size apart) and
 * checked against the follower expected there.
 */
import { originOf } from "../world/layout.ts";
import type { WorkloadContext } from "./context.ts";
import { boundedTimeout, fetchDocument, settle, startCpuMeter } from "./helpers.ts";

const ACTOR = "million";
/** Unmeasured requests of each page before the measured ones, per measured one. */
const WARM_UP_FACTOR = 5;

/** Runs one collection repetition on the context's target, seeding the followers first if they are not there. */
export async function runFollowersCollection(ctx: WorkloadContext): Promise<void> {
  const { target, options, layout, load, rep, deadline } = ctx;
  const sizes = options.sizes;
  const label = target.spec.label;
  await target.control("POST /actors", { usernames: [ACTOR] });
  const idPrefix = `${originOf({ layout, kind: "member", n: 0 })}/users/m`;
  const present = await target.control("GET /counts", null, { actor: ACTOR });
  if (present.followers === 0) {
    ctx.log(`${label}: seeding ${sizes.members.toLocaleString("en-US")} followers of ${ACTOR}`);
    const seeded = await target.control("POST /seed-member-ids", { actor: ACTOR, idPrefix, count: sizes.members });
    ctx.log(`${label}: seeded in ${(seeded.ms / 1000).toFixed(1)} s`);
  } else if (present.followers !== sizes.members) {
    throw new Error(`${ACTOR} already has ${present.followers} followers, not ${sizes.members}`);
  }
  await settle({ target, timeoutMs: boundedTimeout({ ms: 60_000, deadline }) });

  const collection = await fetchDocument({ url: `${target.url}/users/${ACTOR}/followers` });
  const first = linkOf(collection.first);
  if (first === null) throw new Error("the followers collection has no first page");
  const page1 = await fetchDocument({ url: first });
  const items = itemsOf(page1);
  const next = linkOf(page1.next);
  if (next === null || items.length === 0) throw new Error("the first followers page has no items or no next link");
  const deepUrl = deepPageUrl({ first, next, pageSize: items.length, page: sizes.deepPage });
  const deep = await fetchDocument({ url: deepUrl });
  const expected = `${idPrefix}${sizes.members - 1 - (sizes.deepPage - 1) * items.length}`;
  const found = itemsOf(deep)[0];
  if (found !== expected) {
    ctx.note("collection", `page ${sizes.deepPage} starts with ${found ?? "nothing"}, expected ${expected}`);
  }

  ctx.log(`${label}: collection pages`);
  const pages = [["page1P99Ms", first], ["deepP99Ms", deepUrl]] as const;
  const requestPages = (url: string, count: number) =>
    load.request("get", { url, headers: [["accept", "application/activity+json"]], concurrency: 1, count });
  // Each page is first requested five times as often unmeasured: the server has just started, and
  // its first requests run while V8 still compiles the code they take (see bench/README.md).
  for (const [, url] of pages) await requestPages(url, sizes.pageSamples * WARM_UP_FACTOR);
  const cpu = startCpuMeter({ pid: target.pid });
  for (const [figure, url] of pages) {
    const result = await requestPages(url, sizes.pageSamples);
    ctx.record("collection", figure, result.p99Ms);
    if ((result.statuses["200"] ?? 0) < result.requests) {
      ctx.note("collection", `round ${rep + 1}: ${url} answered ${JSON.stringify(result.statuses)}`);
    }
  }
  ctx.record("collection", "cpuSeconds", cpu.read());
}

interface DeepPageUrlParams {
  readonly first: string;
  readonly next: string;
  readonly pageSize: number;
  /** 1 is the first page. */
  readonly page: number;
}

/**
 * The URL of a page far down, from the numeric cursor parameter that differs
 * between the first page and its `next`: an offset that grows (page 2 is one
 * page size on) or a position key that shrinks (page 2 starts below it).
 */
function deepPageUrl(params: DeepPageUrlParams): string {
  const first = new URL(params.first);
  const next = new URL(params.next);
  for (const [name, value] of next.searchParams) {
    if (!/^\d+$/.test(value) || first.searchParams.get(name) === value) continue;
    const cursor = Number(value);
    const before = first.searchParams.get(name);
    const grows = before !== null && /^\d+$/.test(before) && Number(before) < cursor;
    const steps = params.page - 2;
    const deep = grows ? cursor + steps * params.pageSize : cursor - steps * params.pageSize;
    next.searchParams.set(name, String(deep));
    return next.href;
  }
  throw new Error(`cannot tell the cursor of ${params.next}`);
}

function linkOf(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && typeof (value as { id?: unknown }).id === "string") {
    return (value as { id: string }).id;
  }
  return null;
}

function itemsOf(page: Record<string, unknown>): string[] {
  const items = page.orderedItems ?? page.items;
  const list = Array.isArray(items) ? items : items === undefined ? [] : [items];
  return list.map((item) => linkOf(item)).filter((id): id is string => id !== null);
}
