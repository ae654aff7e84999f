import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseTable, serializeTable, type Table } from "./tables.ts";

const block = (seq: number, targetUri: string) => ({
  seq,
  activityUri: `https://local.example/blocks/${seq}`,
  actorUri: "https://local.example/users/alice",
  targetUri,
  createdAt: "2024-01-01T00:00:00.000Z",
});

describe("table files", () => {
  test("serialize and parse round-trip rows, in list order", () => {
    const rows: Table<"blocks"> = new Map();
    const newer = block(5, "https://remote.example/users/b");
    const older = block(2, "https://remote.example/users/a");
    rows.set("k5", newer);
    rows.set("k2", older);
    const text = serializeTable({ name: "blocks", rows, nextSeq: 6 });
    assert.deepEqual(JSON.parse(text).rows, [older, newer]);
    const parsed = parseTable({ name: "blocks", text, source: "blocks.json" });
    assert.ok(parsed.ok);
    assert.equal(parsed.nextSeq, 6);
    assert.deepEqual([...parsed.rows.values()], [older, newer]);
  });

  test("a hand-added row with a seq at or past nextSeq raises nextSeq past it", () => {
    const text = JSON.stringify({ table: "blocks", nextSeq: 1, rows: [block(9, "https://remote.example/users/a")] });
    const parsed = parseTable({ name: "blocks", text, source: "blocks.json" });
    assert.ok(parsed.ok);
    assert.equal(parsed.nextSeq, 10);
  });

  test("damage is reported with its kind and where it is", () => {
    const reasonOf = (text: string) => {
      const parsed = parseTable({ name: "blocks", text, source: "blocks.json" });
      return parsed.ok ? "ok" : `${parsed.reason}: ${parsed.message.split(":")[0]}`;
    };
    assert.equal(reasonOf("{"), "malformed-json: blocks.json is not valid JSON");
    assert.equal(reasonOf(JSON.stringify({ table: "follows", nextSeq: 1, rows: [] })), "wrong-table: blocks.json holds table \"follows\", not \"blocks\"");
    assert.equal(reasonOf(JSON.stringify({ table: "blocks", nextSeq: 1, rows: [{ seq: 1 }] })), "invalid-shape: blocks.json, row 0");
    const twice = block(1, "https://remote.example/users/a");
    assert.equal(
      reasonOf(JSON.stringify({ table: "blocks", nextSeq: 3, rows: [twice, { ...twice, seq: 2 }] })),
      "duplicate-key: blocks.json, row 1",
    );
  });
});
