/** The numbers NodeInfo publishes, counted from the tables in memory. */
import type { ActorRecord, InstanceStats } from "../records.ts";
import type { TableView } from "./draft.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Local accounts people use: local, not deleted, and not the instance actor,
 * which is recognised as an Application named after the host itself (how
 * Outpost names it, however its URI is spelled).
 */
export function isLocalUser(actor: ActorRecord): boolean {
  return (
    actor.local &&
    actor.deletedAt === null &&
    !(actor.type === "Application" && actor.username.toLowerCase() === actor.host)
  );
}

/** What the numbers are counted from. */
export interface InstanceStatsParameters {
  readonly view: TableView;
  readonly now: Date;
}

/**
 * Counts for NodeInfo: local users, local live objects, and local users who
 * sent an activity in the last 30 and 180 days before `now`.
 */
export function readInstanceStats(params: InstanceStatsParameters): InstanceStats {
  const { view, now } = params;
  const users = [...view.rows("actors").values()].filter(isLocalUser);
  let localPosts = 0;
  for (const object of view.rows("objects").values()) if (object.local && object.deletedAt === null) localPosts++;

  // Each local user's latest local activity, in one pass over the activities.
  const latest = new Map<string, string>();
  for (const activity of view.rows("activities").values()) {
    if (!activity.local) continue;
    const seen = latest.get(activity.actorUri);
    if (seen === undefined || activity.published > seen) latest.set(activity.actorUri, activity.published);
  }
  const activeSince = (days: number) => {
    const since = new Date(now.getTime() - days * DAY_MS).toISOString();
    return users.filter((user) => (latest.get(user.uri) ?? "") >= since).length;
  };
  return { localUsers: users.length, localPosts, activeMonth: activeSince(30), activeHalfyear: activeSince(180) };
}
