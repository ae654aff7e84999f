/**
 * Follower and following counts kept beside the follows themselves. Counting
 * the rows of an actor with a million followers reads a million index
 * entries, and every page of its followers collection carries the count; a
 * maintained counter is one row away.
 *
 * The database keeps the counters through triggers on `follows`, in the same
 * transaction as the change: every path that writes follows (the repository,
 * an account's deletion or move, a bulk seed, an import) stays counted
 * without knowing about it, and a rollback undoes the count with the row.
 */
import { sql, type Kysely } from "kysely";
import type { SqlDialectName } from "../schema.ts";

/**
 * Creates `follow_counts`: per actor, side (`followers`: follows of it;
 * `following`: follows by it) and state, how many follows there are. Adds
 * the triggers that keep it, then counts the follows already stored.
 */
export async function up(db: Kysely<any>, dialect: SqlDialectName): Promise<void> {
  if (dialect === "postgres") {
    // Writers of follows wait until this migration commits, so none is
    // counted twice (by the back-fill and a trigger) or not at all.
    await sql`lock table follows in share row exclusive mode`.execute(db);
  }
  const counts = db.schema
    .createTable("follow_counts")
    .addColumn("actor_uri", "text", (col) => col.notNull())
    .addColumn("side", "text", (col) => col.notNull())
    .addColumn("state", "text", (col) => col.notNull())
    .addColumn("n", "bigint", (col) => col.notNull())
    .addPrimaryKeyConstraint("follow_counts_key", ["actor_uri", "side", "state"]);
  // On SQLite the rows live in the primary key's own B-tree: one tree to
  // update per counted follow instead of a table and its index.
  await (dialect === "sqlite" ? counts.modifyEnd(sql`without rowid`) : counts).execute();
  if (dialect === "postgres") await addPostgresTriggers(db);
  else await addSqliteTriggers(db);
  await sql`
    insert into follow_counts (actor_uri, side, state, n)
    select followee_uri, 'followers', state, count(*) from follows group by followee_uri, state
    union all
    select follower_uri, 'following', state, count(*) from follows group by follower_uri, state`.execute(db);
}

/**
 * SQLite has row triggers only. An update trigger runs only when a counted
 * column changes, so re-putting a follow as it was costs no counter write.
 */
async function addSqliteTriggers(db: Kysely<any>): Promise<void> {
  const add = (actor: string, side: string, state: string) => `
    insert into follow_counts (actor_uri, side, state, n) values (${actor}, '${side}', ${state}, 1)
    on conflict (actor_uri, side, state) do update set n = n + 1;`;
  const subtract = (actor: string, side: string, state: string) => `
    update follow_counts set n = n - 1 where actor_uri = ${actor} and side = '${side}' and state = ${state};`;
  const triggers = {
    follow_counts_insert: {
      on: "after insert on follows",
      body: add("new.followee_uri", "followers", "new.state") + add("new.follower_uri", "following", "new.state"),
    },
    follow_counts_delete: {
      on: "after delete on follows",
      body: subtract("old.followee_uri", "followers", "old.state") + subtract("old.follower_uri", "following", "old.state"),
    },
    follow_counts_update_followers: {
      on: `after update of followee_uri, state on follows
        when old.followee_uri is not new.followee_uri or old.state is not new.state`,
      body: subtract("old.followee_uri", "followers", "old.state") + add("new.followee_uri", "followers", "new.state"),
    },
    follow_counts_update_following: {
      on: `after update of follower_uri, state on follows
        when old.follower_uri is not new.follower_uri or old.state is not new.state`,
      body: subtract("old.follower_uri", "following", "old.state") + add("new.follower_uri", "following", "new.state"),
    },
  };
  for (const [name, trigger] of Object.entries(triggers)) {
    await sql.raw(`create trigger ${name} ${trigger.on} begin ${trigger.body} end`).execute(db);
  }
}

/**
 * PostgreSQL runs one trigger per statement over the rows it changed (its
 * transition tables), so a bulk insert or a Move of many followers makes one
 * counter write per actor, not one per row. Counter rows are upserted in key
 * order, so writers touching the same counters lock them in the same order
 * and cannot deadlock on them; the upsert adds to the committed value, so
 * concurrent writers never lose each other's counts.
 */
async function addPostgresTriggers(db: Kysely<any>): Promise<void> {
  const apply = (changes: string) => `
    insert into follow_counts as counts (actor_uri, side, state, n)
    select actor_uri, side, state, sum(delta) from (${changes}) as changes
    group by actor_uri, side, state having sum(delta) <> 0
    order by actor_uri, side, state
    on conflict (actor_uri, side, state) do update set n = counts.n + excluded.n;`;
  const rowsOf = (table: string, delta: number) => `
    select followee_uri as actor_uri, 'followers' as side, state, ${delta} as delta from ${table}
    union all
    select follower_uri, 'following', state, ${delta} from ${table}`;
  // `search_path from current`: the function finds this store's schema
  // whoever writes the follows, and however that connection is set up.
  await sql`
    create function follow_counts_track() returns trigger language plpgsql
    set search_path from current as $$
    begin
      if tg_op = 'INSERT' then
        ${sql.raw(apply(rowsOf("new_follows", 1)))}
      elsif tg_op = 'DELETE' then
        ${sql.raw(apply(rowsOf("old_follows", -1)))}
      elsif tg_op = 'UPDATE' then
        ${sql.raw(apply(`${rowsOf("old_follows", -1)} union all ${rowsOf("new_follows", 1)}`))}
      else
        delete from follow_counts;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger follow_counts_insert after insert on follows
    referencing new table as new_follows
    for each statement execute function follow_counts_track()`.execute(db);
  await sql`
    create trigger follow_counts_delete after delete on follows
    referencing old table as old_follows
    for each statement execute function follow_counts_track()`.execute(db);
  await sql`
    create trigger follow_counts_update after update on follows
    referencing old table as old_follows new table as new_follows
    for each statement execute function follow_counts_track()`.execute(db);
  await sql`
    create trigger follow_counts_truncate after truncate on follows
    for each statement execute function follow_counts_track()`.execute(db);
}
