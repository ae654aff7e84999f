/**
 * Queries of a fixed shape, built and compiled once per store and then run
 * with fresh parameters. Building a Kysely query and compiling it costs more
 * than SQLite takes to run a short statement, and the statements every
 * incoming activity runs (read an activity or object by URI, store one, add
 * an inbox entry) differ only in their values. Reusing the compiled SQL also
 * hands the driver the same string each time, so its statement cache finds
 * the prepared statement without hashing a new string.
 *
 * A query is defined with placeholder arguments: `build` is called once with
 * a marker object standing for each argument, and the compiled query records
 * where each marker landed among its parameters. Only queries whose shape
 * does not depend on the values may be defined so (no `in` lists of varying
 * length, no optional clauses).
 */
import type { Compilable, CompiledQuery, QueryResult } from "kysely";
import type { Queryable } from "./schema.ts";
import { READ_ONLY_SQL } from "./locking-driver.ts";
import type { DirectSqlite } from "./sqlite-dialect.ts";

const ARGUMENT = Symbol("prepared query argument");

interface ArgumentMarker {
  readonly [ARGUMENT]: number;
}

function isMarker(value: unknown): value is ArgumentMarker {
  return typeof value === "object" && value !== null && ARGUMENT in value;
}

/** A query of fixed shape over `Args`, returning rows of `Row`. */
export interface PreparedQuery<Args extends readonly unknown[], Row> {
  readonly arity: Args["length"];
  readonly build: (db: Queryable, args: Args) => Compilable<Row>;
}

/** Defines a query; `build` must pass each argument through as a value, unchanged. */
export function prepareQuery<Args extends readonly unknown[], Row>(
  arity: Args["length"],
  build: (db: Queryable, args: Args) => Compilable<Row>,
): PreparedQuery<Args, Row> {
  return { arity, build };
}

interface Compiled {
  readonly query: CompiledQuery<unknown>;
  /** Whether the statement only reads, and so needs no write lock. */
  readonly readOnly: boolean;
  /** Per parameter: the argument it takes, or -1 for a constant of the query. */
  readonly sources: readonly number[];
}

/**
 * The compiled queries of one store, shared by its transactions: the SQL
 * depends on the store's dialect and plugins, which a transaction shares.
 */
export interface PreparedQueries {
  execute<Args extends readonly unknown[], Row>(
    db: Queryable,
    query: PreparedQuery<Args, Row>,
    args: NoInfer<Args>,
  ): Promise<QueryResult<Row>>;
}

/**
 * Creates the compiled-query cache of one store. Given the store's SQLite
 * connection, queries run on it directly where nothing else can be using it
 * (see {@link DirectSqlite}): inside a transaction, whose callback holds the
 * connection, and reads outside one while the connection is free. A write
 * outside a transaction still goes through Kysely's driver, which takes the
 * process's write lock around it.
 */
export function createPreparedQueries(direct?: DirectSqlite): PreparedQueries {
  const compiled = new Map<PreparedQuery<never, unknown>, Compiled>();

  function compile(db: Queryable, query: PreparedQuery<readonly unknown[], unknown>): Compiled {
    const markers = Array.from({ length: query.arity }, (_, index): ArgumentMarker => ({ [ARGUMENT]: index }));
    const built = query.build(db, markers).compile();
    const sources = built.parameters.map((parameter) => (isMarker(parameter) ? parameter[ARGUMENT] : -1));
    for (let index = 0; index < query.arity; index++) {
      if (!sources.includes(index)) throw new Error(`prepared query argument ${index} is not a parameter of: ${built.sql}`);
    }
    return { query: built, sources, readOnly: READ_ONLY_SQL.test(built.sql) };
  }

  return {
    async execute<Args extends readonly unknown[], Row>(
      db: Queryable,
      query: PreparedQuery<Args, Row>,
      args: NoInfer<Args>,
    ): Promise<QueryResult<Row>> {
      const key = query as unknown as PreparedQuery<never, unknown>;
      let entry = compiled.get(key);
      if (entry === undefined) {
        entry = compile(db, query as unknown as PreparedQuery<readonly unknown[], unknown>);
        compiled.set(key, entry);
      }
      const { query: base, sources } = entry;
      const parameters = sources.map((source, index) => (source < 0 ? base.parameters[index] : args[source]));
      // Every run keeps the first compile's query id, which only plugins read; the store's Kysely has none.
      const run = { ...(base as CompiledQuery<Row>), parameters };
      if (direct !== undefined && (db.isTransaction || (entry.readOnly && !direct.busy))) {
        const result = direct.run(run);
        if (result !== undefined) return result as QueryResult<Row>;
      }
      return db.executeQuery<Row>(run);
    },
  };
}

/** A row's values in the order of `columns`, as arguments of a query built with {@link rowOfArguments}. */
export function rowArguments<Row extends object>(columns: readonly (keyof Row & string)[], row: Row): unknown[] {
  return columns.map((column) => row[column] ?? null);
}

/** The arguments of a prepared insert as the row it inserts, column by column. */
export function rowOfArguments<Row extends object>(columns: readonly (keyof Row & string)[], args: readonly unknown[]): Row {
  return Object.fromEntries(columns.map((column, index) => [column, args[index]])) as Row;
}
