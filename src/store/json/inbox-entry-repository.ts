/** What reached each local actor's inbox, in `inbox-entries.json`. */
import type { InboxEntryRepository } from "../store.ts";
import { activityFilterMatchesNothing, activityMatches, activityRowToRecord } from "./activity-repository.ts";
import { emptyPage, listPage, type JsonContext } from "./json-context.ts";
import { compoundKey, type ActivityRow } from "./tables.ts";

/**
 * The inbox entry repository. Entries are listed in the order they arrived
 * (their own seq), with the stored activity; an entry whose activity is gone
 * is not listed.
 */
export function createInboxEntryRepository(ctx: JsonContext): InboxEntryRepository {
  return {
    add(activityUri, actorUris, receivedAt) {
      const unique = [...new Set(actorUris)];
      return ctx.write((draft) => {
        for (const actorUri of unique) {
          if (draft.rows("inboxEntries").has(compoundKey(actorUri, activityUri))) continue;
          draft.put("inboxEntries", { seq: draft.takeSeq("inboxEntries"), actorUri, activityUri, receivedAt });
        }
      });
    },

    async list(actorUri, filter, page) {
      if (activityFilterMatchesNothing(filter)) return emptyPage();
      const view = ctx.view();
      const activities = view.rows("activities");
      // The entry's seq, not the activity's: the cursor orders arrivals.
      const rows: { seq: number; activity: ActivityRow }[] = [];
      for (const entry of view.rows("inboxEntries").values()) {
        if (entry.actorUri !== actorUri) continue;
        const activity = activities.get(entry.activityUri);
        if (activity !== undefined && activityMatches(activity, filter)) rows.push({ seq: entry.seq, activity });
      }
      return listPage({ rows, request: page, toRecord: (row) => activityRowToRecord(row.activity) });
    },
  };
}
