/** Follow relationships in `follows.json`. */
import type { FollowRecord, FollowState } from "../records.ts";
import type { FollowRepository } from "../store.ts";
import { Draft, type TableView } from "./draft.ts";
import { countWhere, listPage, where, type JsonContext } from "./json-context.ts";
import { compoundKey, type FollowRow } from "./tables.ts";

function toRecord(row: FollowRow): FollowRecord {
  return {
    followerUri: row.followerUri,
    followeeUri: row.followeeUri,
    activityUri: row.activityUri,
    state: row.state,
    createdAt: row.createdAt,
  };
}

function pairKey(followerUri: string, followeeUri: string): string {
  return compoundKey(followerUri, followeeUri);
}

function removeWhere(draft: Draft, predicate: (row: FollowRow) => boolean): number {
  let removed = 0;
  for (const row of [...draft.rows("follows").values()]) {
    if (predicate(row)) {
      draft.delete("follows", pairKey(row.followerUri, row.followeeUri));
      removed++;
    }
  }
  return removed;
}

type FollowSide = "followers" | "following";

function countKey(actorUri: string, side: FollowSide, state: FollowState): string {
  return compoundKey(actorUri, side, state);
}

/** Every count of a follows table at once, by actor, side and state. */
function tally(rows: ReadonlyMap<string, FollowRow>): Map<string, number> {
  const counts = new Map<string, number>();
  const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const row of rows.values()) {
    bump(countKey(row.followeeUri, "followers", row.state));
    bump(countKey(row.followerUri, "following", row.state));
  }
  return counts;
}

/**
 * Counts per committed follows table. A committed table is never changed
 * (a write copies it into a draft, and the copy replaces it on commit), so
 * its counts, taken once in one pass, stay right for as long as it is the
 * current one; every later count is a lookup.
 */
const tallies = new WeakMap<ReadonlyMap<string, FollowRow>, Map<string, number>>();

function countFollows(view: TableView, actorUri: string, side: FollowSide, state: FollowState): number {
  const rows = view.rows("follows");
  // A transaction's draft may still change under the same table: count it as it is.
  if (view instanceof Draft) {
    return countWhere(rows, (row) => row.state === state && (side === "followers" ? row.followeeUri : row.followerUri) === actorUri);
  }
  let counts = tallies.get(rows);
  if (counts === undefined) {
    counts = tally(rows);
    tallies.set(rows, counts);
  }
  return counts.get(countKey(actorUri, side, state)) ?? 0;
}

/**
 * The follow repository. Re-putting a pair keeps its place in lists (its
 * seq); only a new pair goes to the top. A Follow activity id names one pair.
 */
export function createFollowRepository(ctx: JsonContext): FollowRepository {
  const follows = () => ctx.view().rows("follows");
  /** The actor records of a followee's accepted followers that have one, in the order they followed. */
  const acceptedFollowerActors = (followeeUri: string) => {
    const view = ctx.view();
    const accepted = [...where(view.rows("follows"), (row) => row.followeeUri === followeeUri && row.state === "accepted")];
    accepted.sort((a, b) => a.seq - b.seq);
    const actors = view.rows("actors");
    return accepted.flatMap((row) => {
      const actor = actors.get(row.followerUri);
      return actor === undefined ? [] : [actor];
    });
  };

  return {
    async get(followerUri, followeeUri) {
      const row = follows().get(pairKey(followerUri, followeeUri));
      return row === undefined ? null : toRecord(row);
    },

    async getByActivity(activityUri) {
      for (const row of follows().values()) if (row.activityUri === activityUri) return toRecord(row);
      return null;
    },

    put(follow) {
      const record = toRecord({ ...follow, seq: 0 });
      return ctx.write((draft) => {
        // If the activity id was stored for another pair (a confused or replayed remote), the newer use wins.
        removeWhere(
          draft,
          (row) =>
            row.activityUri === record.activityUri &&
            (row.followerUri !== record.followerUri || row.followeeUri !== record.followeeUri),
        );
        const existing = draft.rows("follows").get(pairKey(record.followerUri, record.followeeUri));
        draft.put("follows", { ...record, seq: existing?.seq ?? draft.takeSeq("follows") });
      });
    },

    setState(followerUri, followeeUri, state) {
      return ctx.write((draft) => {
        const row = draft.rows("follows").get(pairKey(followerUri, followeeUri));
        if (row !== undefined) draft.put("follows", { ...row, state });
      });
    },

    remove(followerUri, followeeUri) {
      return ctx.write((draft) => {
        const row = draft.delete("follows", pairKey(followerUri, followeeUri));
        return row === undefined ? null : toRecord(row);
      });
    },

    listFollowers(followeeUri, state, page) {
      return listPage({
        rows: where(follows(), (row) => row.followeeUri === followeeUri && row.state === state),
        request: page,
        toRecord,
      });
    },

    listFollowing(followerUri, state, page) {
      return listPage({
        rows: where(follows(), (row) => row.followerUri === followerUri && row.state === state),
        request: page,
        toRecord,
      });
    },

    async countFollowers(followeeUri, state) {
      return countFollows(ctx.view(), followeeUri, "followers", state);
    },

    async countFollowing(followerUri, state) {
      return countFollows(ctx.view(), followerUri, "following", state);
    },

    async localFollowers(followeeUri) {
      return acceptedFollowerActors(followeeUri).flatMap((actor) => (actor.local ? [actor.uri] : []));
    },

    async followerInboxes(followeeUri) {
      return acceptedFollowerActors(followeeUri).map((actor) => ({ actorUri: actor.uri, inbox: actor.inbox, sharedInbox: actor.sharedInbox }));
    },

    removeAllFor(actorUri) {
      return ctx.write((draft) => removeWhere(draft, (row) => row.followerUri === actorUri || row.followeeUri === actorUri));
    },

    moveFollowee(fromUri, toUri) {
      if (fromUri === toUri) return Promise.resolve(0);
      return ctx.write((draft) => {
        const rows = draft.rows("follows");
        // Who already follows the new account is decided before anything moves.
        const already = new Set([...where(rows, (row) => row.followeeUri === toUri)].map((row) => row.followerUri));
        const moving = [...where(rows, (row) => row.followeeUri === fromUri && !already.has(row.followerUri))];
        for (const row of moving) {
          draft.delete("follows", pairKey(row.followerUri, row.followeeUri));
          draft.put("follows", { ...row, followeeUri: toUri });
        }
        return moving.length;
      });
    },
  };
}
