import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from "kysely";
import { limitLiteral } from "./sql-values.ts";

const compileOnly = new Kysely<{ follows: { seq: number } }>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

describe("limitLiteral", () => {
  it("writes the limit into the statement instead of binding it", () => {
    const compiled = compileOnly.selectFrom("follows").select("seq").where("seq", ">", 3).limit(limitLiteral(41)).compile();
    assert.equal(compiled.sql, 'select "seq" from "follows" where "seq" > ? limit 41');
    assert.deepEqual(compiled.parameters, [3]);
  });

  it("refuses anything but a non-negative safe integer, which could not be written in safely", () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      assert.throws(() => limitLiteral(bad), RangeError, String(bad));
    }
    assert.doesNotThrow(() => limitLiteral(0));
  });
});
