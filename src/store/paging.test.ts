import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readPage, type SeqWindow } from "./paging.ts";

/** A list of rows with seqs 1..count, read the way the SQL store reads a seq window. */
function list(count: number) {
  const rows = Array.from({ length: count }, (_, i) => ({ seq: i + 1 }));
  const windows: SeqWindow[] = [];
  const read = async (window: SeqWindow) => {
    windows.push(window);
    const inWindow = rows.filter(
      (row) => (window.below === undefined || row.seq < window.below) && (window.above === undefined || row.seq > window.above),
    );
    const ordered = window.order === "desc" ? inWindow.reverse() : inWindow;
    return ordered.slice(0, window.limit);
  };
  return { read, windows };
}

describe("readPage", () => {
  it("returns exactly the page asked for, whatever the size, with cursors both ways", async () => {
    const { read } = list(100);
    for (let limit = 1; limit <= 80; limit++) {
      const first = await readPage({ limit }, read, (row) => row.seq);
      assert.deepEqual(first.items, Array.from({ length: limit }, (_, i) => 100 - i), `first page of ${limit}`);
      assert.equal(first.next, String(101 - limit));
      assert.equal(first.prev, null);

      const second = await readPage({ limit, before: first.next! }, read, (row) => row.seq);
      const expected = Array.from({ length: Math.min(limit, 100 - limit) }, (_, i) => 100 - limit - i);
      assert.deepEqual(second.items, expected, `second page of ${limit}`);
      assert.equal(second.next, 100 - 2 * limit > 0 ? String(expected.at(-1)) : null);
      assert.equal(second.prev, String(100 - limit));

      const back = await readPage({ limit, after: second.prev! }, read, (row) => row.seq);
      assert.deepEqual(back.items, first.items, `back to the first page of ${limit}`);
      assert.equal(back.prev, null);
    }
  });

  it("reads a few row counts for every page size a client may choose, so their statements stay prepared", async () => {
    const { read, windows } = list(100);
    for (let limit = 1; limit <= 80; limit++) await readPage({ limit }, read, (row) => row.seq);
    const counts = new Set(windows.map((window) => window.limit));
    assert.ok(counts.size <= 20, `${counts.size} different row counts: ${[...counts].join(", ")}`);
  });
});
