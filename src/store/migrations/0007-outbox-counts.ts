/**
 * Outbox counts kept beside the activities. An outbox count filters on the
 * activity's type and visibility, which its index does not hold, so counting
 * reads every activity the actor ever sent (about 20,000 of them take 5 ms);
 * the outbox and each of its pages carry that count.
 *
 * Triggers keep the counters in the same transaction as the activities, for
 * local activities only: they are what outboxes list, and the many received
 * ones then cost nothing more to store.
 */
import { sql, type Kysely } from "kysely";
import type { SqlDialectName } from "../schema.ts";

/**
 * Creates `outbox_counts`: per local actor, activity type and visibility,
 * how many local activities there are. Adds the triggers that keep it, then
 * counts the activities already stored.
 */
export async function up(db: Kysely<any>, dialect: SqlDialectName): Promise<void> {
  if (dialect === "postgres") {
    // Writers of activities wait until this migration commits, so none is
    // counted twice (by the back-fill and a trigger) or not at all.
    await sql`lock table activities in share row exclusive mode`.execute(db);
  }
  const counts = db.schema
    .createTable("outbox_counts")
    .addColumn("actor_uri", "text", (col) => col.notNull())
    .addColumn("type", "text", (col) => col.notNull())
    .addColumn("visibility", "text", (col) => col.notNull())
    .addColumn("n", "bigint", (col) => col.notNull())
    .addPrimaryKeyConstraint("outbox_counts_key", ["actor_uri", "type", "visibility"]);
  await (dialect === "sqlite" ? counts.modifyEnd(sql`without rowid`) : counts).execute();
  if (dialect === "postgres") await addPostgresTriggers(db);
  else await addSqliteTriggers(db);
  await sql`
    insert into outbox_counts (actor_uri, type, visibility, n)
    select actor_uri, type, visibility, count(*) from activities where local = 1
    group by actor_uri, type, visibility`.execute(db);
}

const COUNTED = "actor_uri, type, visibility, local";

/** Whether an update changes what a row counts for; `differs` is the dialect's null-safe inequality. */
function countedColumnsChange(differs: "is not" | "is distinct from"): string {
  return COUNTED.split(", ")
    .map((column) => `old.${column} ${differs} new.${column}`)
    .join(" or ");
}

async function addSqliteTriggers(db: Kysely<any>): Promise<void> {
  // `where` on the select keeps SQLite from reading `on conflict` as part of a join.
  const add = (row: string) => `
    insert into outbox_counts (actor_uri, type, visibility, n)
    select ${row}.actor_uri, ${row}.type, ${row}.visibility, 1 where ${row}.local = 1
    on conflict (actor_uri, type, visibility) do update set n = n + 1;`;
  const subtract = (row: string) => `
    update outbox_counts set n = n - 1
    where actor_uri = ${row}.actor_uri and type = ${row}.type and visibility = ${row}.visibility and ${row}.local = 1;`;
  const triggers = {
    outbox_counts_insert: { on: "after insert on activities when new.local = 1", body: add("new") },
    outbox_counts_delete: { on: "after delete on activities when old.local = 1", body: subtract("old") },
    outbox_counts_update: {
      on: `after update of ${COUNTED} on activities
        when (old.local = 1 or new.local = 1) and (${countedColumnsChange("is not")})`,
      body: subtract("old") + add("new"),
    },
  };
  for (const [name, trigger] of Object.entries(triggers)) {
    await sql.raw(`create trigger ${name} ${trigger.on} begin ${trigger.body} end`).execute(db);
  }
}

/**
 * Row triggers whose `when` leaves out received activities before any
 * function runs: storing them stays as cheap as it was. Local activities are
 * written one at a time, as their actors post.
 */
async function addPostgresTriggers(db: Kysely<any>): Promise<void> {
  await sql`
    create function outbox_counts_track() returns trigger language plpgsql
    set search_path from current as $$
    begin
      if tg_op = 'TRUNCATE' then
        delete from outbox_counts;
        return null;
      end if;
      if tg_op in ('DELETE', 'UPDATE') then
        if old.local = 1 then
          update outbox_counts set n = n - 1
          where actor_uri = old.actor_uri and type = old.type and visibility = old.visibility;
        end if;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        if new.local = 1 then
          insert into outbox_counts as counts (actor_uri, type, visibility, n)
          values (new.actor_uri, new.type, new.visibility, 1)
          on conflict (actor_uri, type, visibility) do update set n = counts.n + 1;
        end if;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger outbox_counts_insert after insert on activities
    for each row when (new.local = 1) execute function outbox_counts_track()`.execute(db);
  await sql`
    create trigger outbox_counts_delete after delete on activities
    for each row when (old.local = 1) execute function outbox_counts_track()`.execute(db);
  await sql.raw(`
    create trigger outbox_counts_update after update on activities
    for each row when ((old.local = 1 or new.local = 1) and (${countedColumnsChange("is distinct from")}))
    execute function outbox_counts_track()`).execute(db);
  await sql`
    create trigger outbox_counts_truncate after truncate on activities
    for each statement execute function outbox_counts_track()`.execute(db);
}
