/** Actors, local and remote, in `actors.json`. */
import type { ActorRecord } from "../records.ts";
import type { ActorRepository } from "../store.ts";
import { handOut, jsonCopy, type JsonContext } from "./json-context.ts";

/** A record as kept: exactly the record's fields, sharing nothing with the caller. */
function toRow(actor: ActorRecord): ActorRecord {
  return {
    uri: actor.uri,
    type: actor.type,
    username: actor.username,
    host: actor.host,
    local: actor.local,
    inbox: actor.inbox,
    sharedInbox: actor.sharedInbox ?? null,
    outbox: actor.outbox ?? null,
    followersUri: actor.followersUri ?? null,
    followingUri: actor.followingUri ?? null,
    featuredUri: actor.featuredUri ?? null,
    url: actor.url ?? null,
    name: actor.name ?? null,
    summary: actor.summary ?? null,
    iconUrl: actor.iconUrl ?? null,
    manuallyApprovesFollowers: actor.manuallyApprovesFollowers,
    discoverable: actor.discoverable,
    alsoKnownAs: jsonCopy(actor.alsoKnownAs),
    movedTo: actor.movedTo ?? null,
    fields: jsonCopy(actor.fields),
    published: actor.published ?? null,
    updatedAt: actor.updatedAt,
    fetchedAt: actor.fetchedAt ?? null,
    deletedAt: actor.deletedAt ?? null,
    document: actor.document === null ? null : jsonCopy(actor.document),
  };
}

function sameUsername(actor: ActorRecord, lower: string): boolean {
  return actor.local && actor.username.toLowerCase() === lower;
}

/**
 * The actor repository. As in the SQL store, deleted actors stay readable
 * with `deletedAt` set, and two local actors may not share a username in any
 * case: such a put is refused.
 */
export function createActorRepository(ctx: JsonContext): ActorRepository {
  return {
    async get(uri) {
      const row = ctx.view().rows("actors").get(uri);
      return row === undefined ? null : handOut(row);
    },

    async getLocal(username) {
      const lower = username.toLowerCase();
      for (const row of ctx.view().rows("actors").values()) if (sameUsername(row, lower)) return handOut(row);
      return null;
    },

    put(actor) {
      const row = toRow(actor);
      return ctx.write((draft) => {
        if (row.local) {
          const lower = row.username.toLowerCase();
          for (const other of draft.rows("actors").values()) {
            if (other.uri !== row.uri && sameUsername(other, lower)) {
              throw new Error(`A local actor named ${JSON.stringify(other.username)} already exists (${other.uri})`);
            }
          }
        }
        draft.put("actors", row);
      });
    },

    async listLocal() {
      const local = [...ctx.view().rows("actors").values()].filter((row) => row.local);
      const lower = (row: ActorRecord) => row.username.toLowerCase();
      local.sort((a, b) => (lower(a) < lower(b) ? -1 : lower(a) > lower(b) ? 1 : 0));
      return local.map(handOut);
    },

    markDeleted(uri, deletedAt) {
      return ctx.write((draft) => {
        const row = draft.rows("actors").get(uri);
        if (row !== undefined) draft.put("actors", { ...row, deletedAt, updatedAt: deletedAt });
      });
    },

    remove(uri) {
      return ctx.write((draft) => {
        draft.delete("actors", uri);
      });
    },
  };
}
