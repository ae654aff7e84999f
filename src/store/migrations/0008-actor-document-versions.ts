/**
 * A version number on each local actor that changes whenever anything its
 * served documents (the actor document, WebFinger) are built from changes:
 * its row or any of its keys. Web processes keep those documents rendered in
 * memory and check this one number per request instead of re-reading and
 * re-rendering; several processes may share the database, so the number must
 * change whoever writes.
 *
 * Triggers keep it, in the same transaction as the change, so that every
 * path that writes actors or keys (the repositories, an import, a hand-made
 * fix in SQL) moves it without knowing about it. Remote actors are left
 * alone: nothing is cached from them, and ingest writes them all the time.
 */
import { sql, type Kysely } from "kysely";
import type { SqlDialectName } from "../schema.ts";

/**
 * A new local row starts at a random version, not 0: a cached document of an
 * earlier row with the same id (removed and inserted again, say by an
 * import) must not look current by chance. Within PostgreSQL's `integer`.
 */
const VERSION_START_RANGE = 1_073_741_824;

/** Adds `actors.doc_version` and the triggers that keep it. */
export async function up(db: Kysely<any>, dialect: SqlDialectName): Promise<void> {
  await db.schema
    .alterTable("actors")
    .addColumn("doc_version", "integer", (col) => col.notNull().defaultTo(0))
    .execute();
  if (dialect === "postgres") await addPostgresTriggers(db);
  else await addSqliteTriggers(db);
}

/**
 * SQLite's `after` triggers bump the row with an update of their own. That
 * update sets `doc_version` itself, which is how the update trigger tells it
 * (and the keys triggers' updates) from a change to bump for.
 */
async function addSqliteTriggers(db: Kysely<any>): Promise<void> {
  const bumpOwner = (owner: string) =>
    `update actors set doc_version = doc_version + 1 where uri = ${owner} and local = 1;`;
  const triggers = {
    actor_doc_version_insert: {
      on: "after insert on actors when new.local = 1",
      body: `update actors set doc_version = abs(random() % ${VERSION_START_RANGE}) where uri = new.uri;`,
    },
    actor_doc_version_update: {
      on: "after update on actors when new.local = 1 and new.doc_version is old.doc_version",
      body: "update actors set doc_version = old.doc_version + 1 where uri = new.uri;",
    },
    keys_doc_version_insert: { on: "after insert on keys", body: bumpOwner("new.owner_uri") },
    keys_doc_version_update: {
      on: "after update on keys",
      body: `update actors set doc_version = doc_version + 1 where uri in (new.owner_uri, old.owner_uri) and local = 1;`,
    },
    keys_doc_version_delete: { on: "after delete on keys", body: bumpOwner("old.owner_uri") },
  };
  for (const [name, trigger] of Object.entries(triggers)) {
    await sql.raw(`create trigger ${name} ${trigger.on} begin ${trigger.body} end`).execute(db);
  }
}

/**
 * PostgreSQL sets the version in a `before` trigger on the row being
 * written; an update that sets `doc_version` itself (the keys trigger's) is
 * left as it is.
 */
async function addPostgresTriggers(db: Kysely<any>): Promise<void> {
  await sql`
    create function actor_doc_version_bump() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        new.doc_version := floor(random() * ${sql.lit(VERSION_START_RANGE)})::integer;
      elsif new.doc_version is not distinct from old.doc_version then
        new.doc_version := old.doc_version + 1;
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger actor_doc_version before insert or update on actors
    for each row when (new.local = 1) execute function actor_doc_version_bump()`.execute(db);
  // `search_path from current`: the function finds this store's schema whoever writes the keys.
  await sql`
    create function keys_doc_version_bump() returns trigger language plpgsql
    set search_path from current as $$
    begin
      if tg_op <> 'DELETE' then
        update actors set doc_version = doc_version + 1 where uri = new.owner_uri and local = 1;
      end if;
      if tg_op = 'DELETE' or (tg_op = 'UPDATE' and old.owner_uri <> new.owner_uri) then
        update actors set doc_version = doc_version + 1 where uri = old.owner_uri and local = 1;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger keys_doc_version after insert or update or delete on keys
    for each row execute function keys_doc_version_bump()`.execute(db);
}
