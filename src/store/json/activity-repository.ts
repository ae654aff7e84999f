/** Activities, sent and received, in `activities.json`. */
import type { ActivityRecord } from "../records.ts";
import type { ActivityListFilter, ActivityRepository } from "../store.ts";
import { countWhere, emptyPage, handOut, jsonCopy, listPage, where, type JsonContext } from "./json-context.ts";
import type { ActivityRow } from "./tables.ts";

/** An activity row as a record. */
export function activityRowToRecord(row: ActivityRow): ActivityRecord {
  return {
    uri: row.uri,
    type: row.type,
    actorUri: row.actorUri,
    objectUri: row.objectUri,
    targetUri: row.targetUri,
    local: row.local,
    visibility: row.visibility,
    recipients: handOut(row.recipients),
    document: handOut(row.document),
    published: row.published,
  };
}

/** Whether an activity passes a list filter (visibility, and type when asked). */
export function activityMatches(row: ActivityRow, filter: ActivityListFilter): boolean {
  return filter.visibilities.includes(row.visibility) && (filter.types === undefined || filter.types.includes(row.type));
}

/** Whether a filter can match anything at all. */
export function activityFilterMatchesNothing(filter: ActivityListFilter): boolean {
  return filter.visibilities.length === 0 || (filter.types !== undefined && filter.types.length === 0);
}

/** The activity repository. An activity is stored once: a second add of its uri changes nothing. */
export function createActivityRepository(ctx: JsonContext): ActivityRepository {
  const activities = () => ctx.view().rows("activities");
  const outbox = (actorUri: string, filter: ActivityListFilter) => (row: ActivityRow) =>
    row.actorUri === actorUri && row.local && activityMatches(row, filter);

  return {
    async get(uri) {
      const row = activities().get(uri);
      return row === undefined ? null : activityRowToRecord(row);
    },

    add(activity) {
      const fields: Omit<ActivityRow, "seq"> = {
        uri: activity.uri,
        type: activity.type,
        actorUri: activity.actorUri,
        objectUri: activity.objectUri ?? null,
        targetUri: activity.targetUri ?? null,
        local: activity.local,
        visibility: activity.visibility,
        recipients: jsonCopy(activity.recipients),
        document: jsonCopy(activity.document),
        published: activity.published,
      };
      return ctx.write((draft) => {
        if (draft.rows("activities").has(fields.uri)) return false;
        draft.put("activities", { ...fields, seq: draft.takeSeq("activities") });
        return true;
      });
    },

    async listByActor(actorUri, filter, page) {
      if (activityFilterMatchesNothing(filter)) return emptyPage();
      return listPage({ rows: where(activities(), outbox(actorUri, filter)), request: page, toRecord: activityRowToRecord });
    },

    async countByActor(actorUri, filter) {
      if (activityFilterMatchesNothing(filter)) return 0;
      return countWhere(activities(), outbox(actorUri, filter));
    },

    async findLatest({ actorUri, type, objectUri }) {
      let latest: ActivityRow | undefined;
      for (const row of activities().values()) {
        if (row.actorUri !== actorUri || row.type !== type || row.objectUri !== objectUri) continue;
        if (latest === undefined || row.seq > latest.seq) latest = row;
      }
      return latest === undefined ? null : activityRowToRecord(latest);
    },

    removeByActor(actorUri) {
      return ctx.write((draft) => {
        const doomed = [...where(draft.rows("activities"), (row) => row.actorUri === actorUri)];
        for (const row of doomed) draft.delete("activities", row.uri);
        return doomed.length;
      });
    },
  };
}
