/**
 * Interactions (`interactions` table) and quote authorizations
 * (`quote_authorizations`), both from migration 0003. Their tables are
 * described here rather than in `Database`, which keeps to the first schema.
 */
import type { Generated, Insertable, Kysely, Selectable } from "kysely";
import { applySeqWindow, readPage } from "./paging.ts";
import type {
  InteractionKind,
  InteractionRecord,
  JsonObject,
  Page,
  QuoteAuthorizationRecord,
  QuoteAuthorizationState,
  Visibility,
} from "./records.ts";
import type { Queryable } from "./schema.ts";
import { fromJson, toCount, toJson } from "./sql-values.ts";
import type { InteractionListFilter, InteractionRepository } from "./store.ts";

export interface InteractionTable {
  seq: Generated<number | string>;
  uri: string;
  kind: string;
  target_uri: string | null;
  local_actor_uri: string;
  actor_uri: string;
  content: string | null;
  published: string | null;
  updated: string | null;
  visibility: string;
  /** JSON object. */
  document: string;
  created_at: string;
  deleted_at: string | null;
}

export interface QuoteAuthorizationTable {
  seq: Generated<number | string>;
  uri: string;
  request_uri: string;
  state: string;
  local_actor_uri: string;
  actor_uri: string;
  quote_uri: string;
  target_uri: string;
  /** JSON object. */
  request: string;
  created_at: string;
  decided_at: string | null;
  revoked_at: string | null;
}

/** The tables of migration 0003 as Kysely sees them. */
export interface InteractionDatabase {
  interactions: InteractionTable;
  quote_authorizations: QuoteAuthorizationTable;
}

type InteractionQueryable = Kysely<InteractionDatabase>;

/** An `interactions` row as a record. */
export function interactionRowToRecord(row: Selectable<InteractionTable>): InteractionRecord {
  return {
    uri: row.uri,
    kind: row.kind as InteractionKind,
    targetUri: row.target_uri,
    localActorUri: row.local_actor_uri,
    actorUri: row.actor_uri,
    content: row.content,
    published: row.published,
    updated: row.updated,
    visibility: row.visibility as Visibility,
    document: fromJson<JsonObject>(row.document),
    createdAt: row.created_at,
    deletedAt: row.deleted_at,
  };
}

function interactionRecordToRow(record: InteractionRecord): Insertable<InteractionTable> {
  return {
    uri: record.uri,
    kind: record.kind,
    target_uri: record.targetUri,
    local_actor_uri: record.localActorUri,
    actor_uri: record.actorUri,
    content: record.content,
    published: record.published,
    updated: record.updated,
    visibility: record.visibility,
    document: toJson(record.document),
    created_at: record.createdAt,
    deleted_at: record.deletedAt,
  };
}

/** A `quote_authorizations` row as a record. */
export function quoteAuthorizationRowToRecord(row: Selectable<QuoteAuthorizationTable>): QuoteAuthorizationRecord {
  return {
    uri: row.uri,
    requestUri: row.request_uri,
    state: row.state as QuoteAuthorizationState,
    localActorUri: row.local_actor_uri,
    actorUri: row.actor_uri,
    quoteUri: row.quote_uri,
    targetUri: row.target_uri,
    request: fromJson<JsonObject>(row.request),
    createdAt: row.created_at,
    decidedAt: row.decided_at,
    revokedAt: row.revoked_at,
  };
}

function quoteAuthorizationRecordToRow(record: QuoteAuthorizationRecord): Insertable<QuoteAuthorizationTable> {
  return {
    uri: record.uri,
    request_uri: record.requestUri,
    state: record.state,
    local_actor_uri: record.localActorUri,
    actor_uri: record.actorUri,
    quote_uri: record.quoteUri,
    target_uri: record.targetUri,
    request: toJson(record.request),
    created_at: record.createdAt,
    decided_at: record.decidedAt,
    revoked_at: record.revokedAt,
  };
}

const EMPTY_PAGE: Page<never> = { items: [], next: null, prev: null };

/** The interaction repository over a database or transaction. */
export function createInteractionRepository(database: Queryable): InteractionRepository {
  // The tables of migration 0003 are not part of `Database`, which describes the first schema.
  const db = database as unknown as InteractionQueryable;

  function live(filter: InteractionListFilter) {
    let query = db
      .selectFrom("interactions")
      .where("deleted_at", "is", null)
      .where("visibility", "in", [...filter.visibilities]);
    if (filter.kinds !== undefined) query = query.where("kind", "in", [...filter.kinds]);
    return query;
  }

  const isEmpty = (filter: InteractionListFilter) =>
    filter.visibilities.length === 0 || (filter.kinds !== undefined && filter.kinds.length === 0);

  return {
    async put(interaction) {
      const row = interactionRecordToRow(interaction);
      const { uri: _uri, kind: _kind, ...changes } = row;
      await db
        .insertInto("interactions")
        .values(row)
        .onConflict((oc) => oc.columns(["uri", "kind"]).doUpdateSet(changes))
        .execute();
    },

    async get(uri, kind) {
      const row = await db
        .selectFrom("interactions")
        .selectAll()
        .where("uri", "=", uri)
        .where("kind", "=", kind)
        .executeTakeFirst();
      return row === undefined ? null : interactionRowToRecord(row);
    },

    async markDeleted(uri, deletedAt) {
      const result = await db
        .updateTable("interactions")
        .set({ deleted_at: deletedAt })
        .where("uri", "=", uri)
        .where("deleted_at", "is", null)
        .executeTakeFirst();
      return toCount(result.numUpdatedRows);
    },

    async remove(uri) {
      const result = await db.deleteFrom("interactions").where("uri", "=", uri).executeTakeFirst();
      return toCount(result.numDeletedRows);
    },

    async removeByActor(actorUri) {
      const result = await db.deleteFrom("interactions").where("actor_uri", "=", actorUri).executeTakeFirst();
      return toCount(result.numDeletedRows);
    },

    async listForTarget(targetUri, filter, page) {
      if (isEmpty(filter)) return EMPTY_PAGE;
      return readPage(
        page,
        (window) => applySeqWindow(live(filter).selectAll().where("target_uri", "=", targetUri), "seq", window).execute(),
        interactionRowToRecord,
      );
    },

    async countForTarget(targetUri, kind, visibilities) {
      if (visibilities.length === 0) return 0;
      const row = await live({ visibilities, kinds: [kind] })
        .select((eb) => eb.fn.countAll().as("n"))
        .where("target_uri", "=", targetUri)
        .executeTakeFirstOrThrow();
      return toCount(row.n);
    },

    async listForActor(localActorUri, filter, page) {
      if (isEmpty(filter)) return EMPTY_PAGE;
      return readPage(
        page,
        (window) =>
          applySeqWindow(live(filter).selectAll().where("local_actor_uri", "=", localActorUri), "seq", window).execute(),
        interactionRowToRecord,
      );
    },

    async putQuoteAuthorization(authorization) {
      const row = quoteAuthorizationRecordToRow(authorization);
      const { uri: _uri, ...changes } = row;
      await db
        .insertInto("quote_authorizations")
        .values(row)
        .onConflict((oc) => oc.column("uri").doUpdateSet(changes))
        .execute();
    },

    async getQuoteAuthorization(uri) {
      const row = await db.selectFrom("quote_authorizations").selectAll().where("uri", "=", uri).executeTakeFirst();
      return row === undefined ? null : quoteAuthorizationRowToRecord(row);
    },

    async getQuoteAuthorizationByRequest(requestUri) {
      const row = await db
        .selectFrom("quote_authorizations")
        .selectAll()
        .where("request_uri", "=", requestUri)
        .executeTakeFirst();
      return row === undefined ? null : quoteAuthorizationRowToRecord(row);
    },

    async findQuoteAuthorization({ quoteUri, targetUri }) {
      const row = await db
        .selectFrom("quote_authorizations")
        .selectAll()
        .where("quote_uri", "=", quoteUri)
        .where("target_uri", "=", targetUri)
        .executeTakeFirst();
      return row === undefined ? null : quoteAuthorizationRowToRecord(row);
    },

    async listQuoteAuthorizations(localActorUri, filter, page) {
      if (filter.states.length === 0) return EMPTY_PAGE;
      return readPage(
        page,
        (window) =>
          applySeqWindow(
            db
              .selectFrom("quote_authorizations")
              .selectAll()
              .where("local_actor_uri", "=", localActorUri)
              .where("state", "in", [...filter.states]),
            "seq",
            window,
          ).execute(),
        quoteAuthorizationRowToRecord,
      );
    },
  };
}
