/**
 * Backing off a remote host as a whole. When a server is down, every
 * delivery to it fails; after a few consecutive failures the whole host is
 * left alone for a while instead of each queued job knocking separately.
 *
 * Almost every delivery goes to a healthy host, so what this process knows
 * of a host is kept in memory for a short while and the store is written
 * only when something changes: every failure (counted in the store, so that
 * processes sharing it add up their failures), and the first success after
 * failures. Another process's failures are seen once the memory lapses or at
 * this process's own next failure there, whichever comes first.
 */
import { createBoundedCache, type BoundedCache } from "../../crypto/bounded-cache.ts";
import type { HostHealthRecord } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";
import type { FederationContext } from "../context.ts";

/** Consecutive failures after which a host is backed off. */
export const HOST_FAILURE_THRESHOLD = 5;
/** The first host backoff; each further failure doubles it. */
export const HOST_BASE_BACKOFF_MS = 60_000;
/** The longest a host is backed off at once. */
export const HOST_MAX_BACKOFF_MS = 6 * 3600 * 1000;

/** Parameters of {@link hostBackoffUntil}. */
export interface HostBackoffParameters {
  /** Consecutive failures so far, including the latest. */
  readonly failures: number;
  readonly lastFailureAt: Date;
}

/** Until when a host with this failure history is backed off, or null when it is not. */
export function hostBackoffUntil(params: HostBackoffParameters): Date | null {
  if (params.failures < HOST_FAILURE_THRESHOLD) return null;
  const exponent = params.failures - HOST_FAILURE_THRESHOLD;
  const delay = Math.min(HOST_BASE_BACKOFF_MS * 2 ** exponent, HOST_MAX_BACKOFF_MS);
  return new Date(params.lastFailureAt.getTime() + delay);
}

/** Whether a host is backed off now. */
export type HostStatus = { readonly open: true } | { readonly open: false; readonly until: Date; readonly failures: number };

/** Parameters naming one remote host (host[:port], as in a URL). */
export interface HostParameters {
  readonly host: string;
}

/** How long what was read or written of a host's health is trusted without asking the store again. */
export const HOST_HEALTH_MEMORY_MS = 30_000;
/** Hosts remembered per store; a large fan-out reaches this many distinct hosts. */
const HOST_HEALTH_MEMORY_SIZE = 20_000;

interface KnownHealth {
  readonly record: HostHealthRecord | null;
  /** When it was read or written, by the context's clock. */
  readonly at: number;
}

const memories = new WeakMap<Store, BoundedCache<string, KnownHealth>>();

function memoryOf(store: Store): BoundedCache<string, KnownHealth> {
  let memory = memories.get(store);
  if (memory === undefined) {
    memory = createBoundedCache(HOST_HEALTH_MEMORY_SIZE);
    memories.set(store, memory);
  }
  return memory;
}

/** A host's health as last known, from the store when memory of it is missing or lapsed. */
async function knownHealth(ctx: FederationContext, host: string): Promise<HostHealthRecord | null> {
  const memory = memoryOf(ctx.store);
  const now = ctx.now().getTime();
  const known = memory.get(host);
  if (known !== undefined && now >= known.at && now - known.at < HOST_HEALTH_MEMORY_MS) return known.record;
  const record = await ctx.store.hosts.get(host);
  memory.set(host, { record, at: now });
  return record;
}

/** Whether deliveries to a host may be attempted now. */
export async function hostStatus(ctx: FederationContext, params: HostParameters): Promise<HostStatus> {
  const record = await knownHealth(ctx, normalizeHost(params.host));
  return statusOf(record, ctx.now());
}

/** Notes a failed delivery to a host, backing it off once it failed often enough in a row. */
export async function recordHostFailure(ctx: FederationContext, params: HostParameters): Promise<HostStatus> {
  const host = normalizeHost(params.host);
  const now = ctx.now();
  // Read afresh, not from memory: other processes' failures count towards the backoff too.
  const previous = await ctx.store.hosts.get(host);
  const until = hostBackoffUntil({ failures: (previous?.failures ?? 0) + 1, lastFailureAt: now });
  const record = await ctx.store.hosts.recordFailure(host, {
    at: now.toISOString(),
    backoffUntil: until === null ? null : until.toISOString(),
  });
  memoryOf(ctx.store).set(host, { record, at: now.getTime() });
  return statusOf(record, now);
}

/** Notes a successful delivery: the host is healthy again. */
export async function recordHostSuccess(ctx: FederationContext, params: HostParameters): Promise<void> {
  const host = normalizeHost(params.host);
  const previous = await knownHealth(ctx, host);
  // Most deliveries go to healthy hosts; skip the write when there is nothing to reset.
  if (previous === null || (previous.failures === 0 && previous.backoffUntil === null)) return;
  await ctx.store.hosts.recordSuccess(host);
  memoryOf(ctx.store).set(host, { record: { ...previous, failures: 0, backoffUntil: null }, at: ctx.now().getTime() });
}

function statusOf(record: HostHealthRecord | null, now: Date): HostStatus {
  if (record === null || record.backoffUntil === null) return { open: true };
  const until = new Date(record.backoffUntil);
  if (!(until.getTime() > now.getTime())) return { open: true };
  return { open: false, until, failures: record.failures };
}

function normalizeHost(host: string): string {
  return host.toLowerCase();
}
