/** The numbers NodeInfo publishes, counted from the tables. */
import type { ExpressionBuilder } from "kysely";
import type { InstanceStats } from "./records.ts";
import type { Database, Queryable } from "./schema.ts";
import { toCount } from "./sql-values.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Local accounts people use: local, not deleted, and not the instance actor.
 * The instance actor is recognised as an Application whose username is the
 * host itself, which is how Outpost names it; this holds however its URI is
 * spelled, unlike a test on the URI's path.
 */
function isLocalUser(eb: ExpressionBuilder<Database, "actors">) {
  return eb.and([
    eb("actors.local", "=", 1),
    eb("actors.deleted_at", "is", null),
    eb.not(eb.and([eb("actors.type", "=", "Application"), eb("actors.username_lower", "=", eb.ref("actors.host"))])),
  ]);
}

async function countActiveSince(db: Queryable, since: string): Promise<number> {
  const row = await db
    .selectFrom("actors")
    .select((eb) => eb.fn.countAll().as("n"))
    .where(isLocalUser)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("activities")
          .select("activities.seq")
          .whereRef("activities.actor_uri", "=", "actors.uri")
          .where("activities.local", "=", 1)
          .where("activities.published", ">=", since),
      ),
    )
    .executeTakeFirstOrThrow();
  return toCount(row.n);
}

/**
 * Counts for NodeInfo: local users, local live objects, and local users who
 * sent an activity in the last 30 and 180 days before `now`.
 */
export async function readInstanceStats(db: Queryable, now: Date): Promise<InstanceStats> {
  const users = await db
    .selectFrom("actors")
    .select((eb) => eb.fn.countAll().as("n"))
    .where(isLocalUser)
    .executeTakeFirstOrThrow();
  const posts = await db
    .selectFrom("objects")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("local", "=", 1)
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  return {
    localUsers: toCount(users.n),
    localPosts: toCount(posts.n),
    activeMonth: await countActiveSince(db, new Date(now.getTime() - 30 * DAY_MS).toISOString()),
    activeHalfyear: await countActiveSince(db, new Date(now.getTime() - 180 * DAY_MS).toISOString()),
  };
}
