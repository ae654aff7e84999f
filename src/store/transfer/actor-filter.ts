/**
 * Which rows of each table belong to some local actors, for an export limited
 * to them: their own records and keys, their follows (both ways) and the
 * remote actors on the other side with their keys, their posts, activities,
 * reactions, blocks, pinned items and inbox, the pending deliveries of their
 * activities, the interactions addressed to them, and the user accounts that
 * manage them with those users' tokens. Nothing of any other local actor is
 * included. Instance-wide caches (host health, WebFinger, rate limits) are
 * left out: the target instance builds its own.
 */
import { sql, type RawBuilder } from "kysely";
import type { TableInfo } from "./table-catalog.ts";

/** What to do with a table in a limited export. */
export type TableSelection =
  | { readonly kind: "rows"; readonly where: RawBuilder<unknown> }
  | { readonly kind: "skip"; readonly reason: "instanceWide" | "unknownTable"; readonly message: string };

/** Parameters of {@link selectActorRows}. */
export interface SelectActorRowsParams {
  readonly table: TableInfo;
  /** The URIs of the local actors to export. */
  readonly actorUris: readonly string[];
}

const INSTANCE_WIDE = new Set(["host_health", "webfinger_cache", "rate_limits"]);

/** The rows of `table` that belong to the actors, as a WHERE condition, or why the table is left out. */
export function selectActorRows(params: SelectActorRowsParams): TableSelection {
  const { table } = params;
  const actors = sql.join(params.actorUris.map((uri) => sql`${uri}`));
  const inActors = (column: string) => sql`${sql.ref(column)} in (${actors})`;
  const ownedUsers = sql`(select user_id from actor_owners where actor_uri in (${actors}))`;
  const counterparts = sql`(select follower_uri from follows where followee_uri in (${actors})
    union select followee_uri from follows where follower_uri in (${actors}))`;
  const actorRows = sql`(uri in (${actors}) or (local = 0 and uri in ${counterparts}))`;
  const rows = (where: RawBuilder<unknown>): TableSelection => ({ kind: "rows", where });

  switch (table.name) {
    case "actors":
      return rows(actorRows);
    case "keys":
      return rows(sql`owner_uri in (select uri from actors where ${actorRows})`);
    case "follows":
      return rows(sql`(${inActors("follower_uri")} or ${inActors("followee_uri")})`);
    case "objects":
      return rows(inActors("attributed_to"));
    case "activities":
    case "blocks":
    case "inbox_entries":
      return rows(inActors("actor_uri"));
    case "reactions":
      return rows(sql`(${inActors("actor_uri")} or object_uri in (select uri from objects where attributed_to in (${actors})))`);
    case "collection_items": {
      // An actor's collections live under its URI (`…/users/alice/collections/featured`).
      const under = params.actorUris.map((uri) => sql`substr(collection_uri, 1, ${uri.length + 1}) = ${`${uri}/`}`);
      return rows(sql`(${sql.join(under, sql` or `)})`);
    }
    case "jobs":
      return rows(sql`group_key in (select uri from activities where actor_uri in (${actors}))`);
    case "actor_owners":
      return rows(inActors("actor_uri"));
    case "users":
      return rows(sql`id in ${ownedUsers}`);
    case "oauth_tokens":
    case "oauth_codes":
    case "idempotency_keys":
      return rows(sql`user_id in ${ownedUsers}`);
    case "oauth_clients":
      return rows(sql`client_id in (select client_id from oauth_tokens where user_id in ${ownedUsers})`);
  }
  if (INSTANCE_WIDE.has(table.name)) {
    return { kind: "skip", reason: "instanceWide", message: `${table.name} is instance-wide state; the target keeps its own` };
  }
  // A table this file does not know yet: rows tied to a local actor by the usual column names.
  if (table.columns.includes("local_actor_uri")) return rows(inActors("local_actor_uri"));
  if (table.columns.includes("actor_uri")) return rows(inActors("actor_uri"));
  return {
    kind: "skip",
    reason: "unknownTable",
    message: `${table.name} has no column tying its rows to an actor; export the whole instance to include it`,
  };
}
