/**
 * Runs the host application's inbox plugins after Outpost processed an
 * activity. A plugin that throws does not affect the activity (already
 * stored) nor the other plugins: it gets a job of its own on
 * {@link INBOX_PLUGIN_QUEUE} and is retried there with backoff.
 */
import { z } from "zod";
import { normalizeActivity, type NormalizedActivity } from "../../protocol/normalize.ts";
import type { JobRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import type { JobOutcome } from "../queue/worker.ts";
import type { InboxPlugin, InboxPluginEvent } from "./plugins.ts";
import { inboxRetryDelayMs, PLUGIN_MAX_ATTEMPTS } from "./retry-policy.ts";

/** Queue of plugin runs that failed inline and are retried on their own. */
export const INBOX_PLUGIN_QUEUE = "inbox-plugin";

/** What a plugin retry job carries. */
export interface InboxPluginJobPayload {
  /** The plugin's name. */
  plugin: string;
  /** The activity as received. */
  activity: Record<string, unknown>;
  localRecipients: string[];
  signerUri: string;
}

const pluginJobPayloadSchema = z.object({
  plugin: z.string().min(1),
  activity: z.record(z.string(), z.unknown()),
  localRecipients: z.array(z.string()),
  signerUri: z.string().min(1),
});

/** Parameters of {@link pluginMatches}. */
export interface PluginMatchParams {
  readonly plugin: InboxPlugin;
  readonly activity: NormalizedActivity;
  /** URIs of the local recipients. */
  readonly localRecipients: readonly string[];
  /** Usernames of the local recipients, lower case. */
  readonly localUsernames: readonly string[];
}

/** Whether a plugin's filters (types, local actors, remote domains) select an activity. */
export function pluginMatches(params: PluginMatchParams): boolean {
  const { plugin, activity } = params;
  if (plugin.types !== "*" && !plugin.types.includes(activity.type)) return false;
  if (plugin.localActors !== undefined) {
    const wanted = plugin.localActors.map((entry) => (entry.includes("/") ? entry : entry.toLowerCase()));
    const hit = wanted.some(
      (entry) => params.localRecipients.includes(entry) || params.localUsernames.includes(entry),
    );
    if (!hit) return false;
  }
  if (plugin.remoteDomains !== undefined) {
    const host = hostOf(activity.actor);
    if (host === null) return false;
    const domains = plugin.remoteDomains.map((domain) => domain.toLowerCase());
    if (!domains.includes(host.hostname) && !domains.includes(host.host)) return false;
  }
  return true;
}

/**
 * Runs every plugin that matches the event. Failures are logged and queued
 * for retry; this never throws.
 */
export async function runInboxPlugins(ctx: FederationContext, event: InboxPluginEvent): Promise<void> {
  if (ctx.plugins.length === 0) return;
  const localUsernames = event.localRecipients.flatMap((uri) => {
    const username = ctx.uris.parse(uri)?.username;
    return username === undefined ? [] : [username.toLowerCase()];
  });
  const failed: InboxPluginJobPayload[] = [];
  for (const plugin of ctx.plugins) {
    const matchParams = { plugin, activity: event.activity, localRecipients: event.localRecipients, localUsernames };
    if (!pluginMatches(matchParams)) continue;
    try {
      await plugin.handle(event);
    } catch (error) {
      ctx.logger.warn({ err: error, plugin: plugin.name, activity: event.activity.id }, "inbox plugin failed; queued a retry");
      failed.push({
        plugin: plugin.name,
        activity: event.activity.raw,
        localRecipients: [...event.localRecipients],
        signerUri: event.signerUri,
      });
    }
  }
  if (failed.length === 0) return;
  try {
    const queued = await ctx.store.jobs.enqueue(
      failed.map((payload) => ({
        queue: INBOX_PLUGIN_QUEUE,
        payload,
        dedupeKey: `${INBOX_PLUGIN_QUEUE}:${payload.plugin}:${event.activity.id}`,
        // Its first inline run just failed; give the plugin a moment before the next.
        runAt: new Date(ctx.now().getTime() + (inboxRetryDelayMs({ attempts: 1, maxAttempts: PLUGIN_MAX_ATTEMPTS }) ?? 0)).toISOString(),
      })),
    );
    if (queued > 0) ctx.jobsQueued([INBOX_PLUGIN_QUEUE]);
  } catch (error) {
    ctx.logger.error({ err: error, activity: event.activity.id }, "could not queue inbox plugin retries");
  }
}

/** Runs one queued plugin retry: done on success, retried with backoff, failed after a few attempts. */
export async function handleInboxPluginJob(ctx: FederationContext, job: JobRecord): Promise<JobOutcome> {
  const parsed = pluginJobPayloadSchema.safeParse(job.payload);
  if (!parsed.success) {
    ctx.logger.warn({ jobId: job.id, issues: parsed.error.issues }, "dropped a malformed inbox plugin job");
    return { kind: "done" };
  }
  const payload = parsed.data;
  const plugin = ctx.plugins.find((candidate) => candidate.name === payload.plugin);
  if (plugin === undefined) {
    ctx.logger.warn({ jobId: job.id, plugin: payload.plugin }, "dropped a job of an inbox plugin that is no longer registered");
    return { kind: "done" };
  }
  const activity = normalizeActivity(payload.activity);
  if (!activity.ok) {
    ctx.logger.warn({ jobId: job.id, message: activity.message }, "dropped an inbox plugin job with an unreadable activity");
    return { kind: "done" };
  }
  try {
    await plugin.handle({ activity: activity.value, localRecipients: payload.localRecipients, signerUri: payload.signerUri });
    return { kind: "done" };
  } catch (error) {
    const message = `plugin ${plugin.name} failed: ${error instanceof Error ? error.message : String(error)}`;
    // The inline run counts as the first attempt.
    const delay = inboxRetryDelayMs({ attempts: job.attempts + 2, maxAttempts: PLUGIN_MAX_ATTEMPTS });
    if (delay === null) return { kind: "fail", error: message };
    return { kind: "retry", at: new Date(ctx.now().getTime() + delay), error: message };
  }
}

function hostOf(uri: string): URL | null {
  try {
    return new URL(uri);
  } catch {
    return null;
  }
}
