/**
 * Interactions with local objects and actors in `interactions.json`, and
 * quote authorizations in `quote-authorizations.json`.
 */
import type { InteractionRecord, QuoteAuthorizationRecord } from "../records.ts";
import type { InteractionListFilter, InteractionRepository } from "../store.ts";
import type { Draft } from "./draft.ts";
import { countWhere, emptyPage, handOut, jsonCopy, listPage, where, type JsonContext } from "./json-context.ts";
import { compoundKey, type InteractionRow, type QuoteAuthorizationRow } from "./tables.ts";

function interactionToRecord(row: InteractionRow): InteractionRecord {
  return {
    uri: row.uri,
    kind: row.kind,
    targetUri: row.targetUri,
    localActorUri: row.localActorUri,
    actorUri: row.actorUri,
    content: row.content,
    published: row.published,
    updated: row.updated,
    visibility: row.visibility,
    document: handOut(row.document),
    createdAt: row.createdAt,
    deletedAt: row.deletedAt,
  };
}

function quoteAuthorizationToRecord(row: QuoteAuthorizationRow): QuoteAuthorizationRecord {
  return {
    uri: row.uri,
    requestUri: row.requestUri,
    state: row.state,
    localActorUri: row.localActorUri,
    actorUri: row.actorUri,
    quoteUri: row.quoteUri,
    targetUri: row.targetUri,
    request: handOut(row.request),
    createdAt: row.createdAt,
    decidedAt: row.decidedAt,
    revokedAt: row.revokedAt,
  };
}

/** Whether a filter can match anything at all. */
function matchesNothing(filter: InteractionListFilter): boolean {
  return filter.visibilities.length === 0 || (filter.kinds !== undefined && filter.kinds.length === 0);
}

/** Whether an interaction is listed under a filter: live, of an asked visibility and kind. */
function listed(row: InteractionRow, filter: InteractionListFilter): boolean {
  return (
    row.deletedAt === null &&
    filter.visibilities.includes(row.visibility) &&
    (filter.kinds === undefined || filter.kinds.includes(row.kind))
  );
}

function removeWhere(draft: Draft, predicate: (row: InteractionRow) => boolean): number {
  const doomed = [...where(draft.rows("interactions"), predicate)];
  for (const row of doomed) draft.delete("interactions", compoundKey(row.uri, row.kind));
  return doomed.length;
}

/**
 * Refuses a quote authorization that would share its request, or its quote
 * and target pair, with another one: the SQL store's unique constraints
 * refuse the same put, and one QuoteRequest answers one quote of one object.
 */
function assertQuoteAuthorizationUnique(draft: Draft, row: Omit<QuoteAuthorizationRow, "seq">): void {
  for (const other of draft.rows("quoteAuthorizations").values()) {
    if (other.uri === row.uri) continue;
    if (other.requestUri === row.requestUri) {
      throw new Error(`The quote request ${row.requestUri} is already answered by ${other.uri}`);
    }
    if (other.quoteUri === row.quoteUri && other.targetUri === row.targetUri) {
      throw new Error(`The quote of ${row.targetUri} by ${row.quoteUri} is already authorized by ${other.uri}`);
    }
  }
}

/**
 * The interaction repository. An interaction is keyed by its uri and kind
 * (one reply can also mention); re-putting one keeps its place in lists.
 * Lists and counts hold live interactions only; a deleted one stays
 * readable through `get`.
 */
export function createInteractionRepository(ctx: JsonContext): InteractionRepository {
  const interactions = () => ctx.view().rows("interactions");
  const authorizations = () => ctx.view().rows("quoteAuthorizations");
  const firstAuthorization = (predicate: (row: QuoteAuthorizationRow) => boolean) => {
    for (const row of authorizations().values()) if (predicate(row)) return quoteAuthorizationToRecord(row);
    return null;
  };

  return {
    put(interaction) {
      const fields: Omit<InteractionRow, "seq"> = {
        uri: interaction.uri,
        kind: interaction.kind,
        targetUri: interaction.targetUri ?? null,
        localActorUri: interaction.localActorUri,
        actorUri: interaction.actorUri,
        content: interaction.content ?? null,
        published: interaction.published ?? null,
        updated: interaction.updated ?? null,
        visibility: interaction.visibility,
        document: jsonCopy(interaction.document),
        createdAt: interaction.createdAt,
        deletedAt: interaction.deletedAt ?? null,
      };
      return ctx.write((draft) => {
        const existing = draft.rows("interactions").get(compoundKey(fields.uri, fields.kind));
        draft.put("interactions", { ...fields, seq: existing?.seq ?? draft.takeSeq("interactions") });
      });
    },

    async get(uri, kind) {
      const row = interactions().get(compoundKey(uri, kind));
      return row === undefined ? null : interactionToRecord(row);
    },

    markDeleted(uri, deletedAt) {
      return ctx.write((draft) => {
        const live = [...where(draft.rows("interactions"), (row) => row.uri === uri && row.deletedAt === null)];
        for (const row of live) draft.put("interactions", { ...row, deletedAt });
        return live.length;
      });
    },

    remove(uri) {
      return ctx.write((draft) => removeWhere(draft, (row) => row.uri === uri));
    },

    removeByActor(actorUri) {
      return ctx.write((draft) => removeWhere(draft, (row) => row.actorUri === actorUri));
    },

    async listForTarget(targetUri, filter, page) {
      if (matchesNothing(filter)) return emptyPage();
      return listPage({
        rows: where(interactions(), (row) => row.targetUri === targetUri && listed(row, filter)),
        request: page,
        toRecord: interactionToRecord,
      });
    },

    async countForTarget(targetUri, kind, visibilities) {
      if (visibilities.length === 0) return 0;
      const filter = { visibilities, kinds: [kind] };
      return countWhere(interactions(), (row) => row.targetUri === targetUri && listed(row, filter));
    },

    async listForActor(localActorUri, filter, page) {
      if (matchesNothing(filter)) return emptyPage();
      return listPage({
        rows: where(interactions(), (row) => row.localActorUri === localActorUri && listed(row, filter)),
        request: page,
        toRecord: interactionToRecord,
      });
    },

    putQuoteAuthorization(authorization) {
      const fields: Omit<QuoteAuthorizationRow, "seq"> = {
        uri: authorization.uri,
        requestUri: authorization.requestUri,
        state: authorization.state,
        localActorUri: authorization.localActorUri,
        actorUri: authorization.actorUri,
        quoteUri: authorization.quoteUri,
        targetUri: authorization.targetUri,
        request: jsonCopy(authorization.request),
        createdAt: authorization.createdAt,
        decidedAt: authorization.decidedAt ?? null,
        revokedAt: authorization.revokedAt ?? null,
      };
      return ctx.write((draft) => {
        assertQuoteAuthorizationUnique(draft, fields);
        const existing = draft.rows("quoteAuthorizations").get(fields.uri);
        draft.put("quoteAuthorizations", { ...fields, seq: existing?.seq ?? draft.takeSeq("quoteAuthorizations") });
      });
    },

    async getQuoteAuthorization(uri) {
      const row = authorizations().get(uri);
      return row === undefined ? null : quoteAuthorizationToRecord(row);
    },

    async getQuoteAuthorizationByRequest(requestUri) {
      return firstAuthorization((row) => row.requestUri === requestUri);
    },

    async findQuoteAuthorization({ quoteUri, targetUri }) {
      return firstAuthorization((row) => row.quoteUri === quoteUri && row.targetUri === targetUri);
    },

    async listQuoteAuthorizations(localActorUri, filter, page) {
      if (filter.states.length === 0) return emptyPage();
      return listPage({
        rows: where(authorizations(), (row) => row.localActorUri === localActorUri && filter.states.includes(row.state)),
        request: page,
        toRecord: quoteAuthorizationToRecord,
      });
    },
  };
}
