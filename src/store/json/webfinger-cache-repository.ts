/** Resolved WebFinger accounts in `webfinger-cache.json`. */
import type { WebFingerCacheRepository } from "../store.ts";
import { handOut, type JsonContext } from "./json-context.ts";

/** The WebFinger cache; accounts are matched lower case. */
export function createWebFingerCacheRepository(ctx: JsonContext): WebFingerCacheRepository {
  return {
    async get(acct) {
      const row = ctx.view().rows("webfinger").get(acct.toLowerCase());
      return row === undefined ? null : handOut(row);
    },

    put(record) {
      const row = { acct: record.acct.toLowerCase(), actorUri: record.actorUri, fetchedAt: record.fetchedAt };
      return ctx.write((draft) => draft.put("webfinger", row));
    },
  };
}
