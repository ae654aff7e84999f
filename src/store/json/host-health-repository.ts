/** Failure history of remote hosts in `host-health.json`. */
import type { HostHealthRecord } from "../records.ts";
import type { HostHealthRepository } from "../store.ts";
import { handOut, type JsonContext } from "./json-context.ts";

/**
 * The host health repository. A success clears the failure count and backoff
 * but keeps when the host last failed.
 */
export function createHostHealthRepository(ctx: JsonContext): HostHealthRepository {
  return {
    async get(host) {
      const row = ctx.view().rows("hostHealth").get(host);
      return row === undefined ? null : handOut(row);
    },

    recordFailure(host, { at, backoffUntil }) {
      // Read and written in one change, so concurrent failures of one host each count.
      return ctx.write((draft) => {
        const failures = (draft.rows("hostHealth").get(host)?.failures ?? 0) + 1;
        const row: HostHealthRecord = { host, failures, lastFailureAt: at, backoffUntil };
        draft.put("hostHealth", row);
        return { ...row };
      });
    },

    recordSuccess(host) {
      return ctx.write((draft) => {
        const row = draft.rows("hostHealth").get(host);
        // Untouched when already healthy, so that a run of successes writes nothing.
        if (row === undefined || (row.failures === 0 && row.backoffUntil === null)) return;
        draft.put("hostHealth", { ...row, failures: 0, backoffUntil: null });
      });
    },
  };
}
