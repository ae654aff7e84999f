/**
 * The export format: JSON lines, so that a dump of any size is written and
 * read one row at a time. A dump is
 *
 *   {"format":"outpost-export","version":1,"exportedAt":…,"source":"sqlite","migrations":[…],"actors":null}
 *   {"table":"actors","columns":["uri","type",…]}
 *   ["https://social.example/users/alice","Person",…]      one array per row, in column order
 *   …                                                     (every table in turn)
 *   {"end":true,"rows":{"actors":12,…}}
 *
 * Values are those of the portable schema (text, integers, null), so a dump
 * taken from SQLite loads into PostgreSQL and back. The closing line lets an
 * import tell a complete dump from one cut short.
 */
import { z } from "zod";

export const DUMP_FORMAT = "outpost-export";
export const DUMP_VERSION = 1;

/** A column value as dumped. */
export type DumpValue = string | number | null;

export const dumpHeaderSchema = z.object({
  format: z.literal(DUMP_FORMAT),
  version: z.literal(DUMP_VERSION),
  exportedAt: z.string(),
  source: z.enum(["sqlite", "postgres"]),
  /** The migrations the source had run: the shape of its tables. */
  migrations: z.array(z.string()),
  /** The local actors the dump was limited to; null for the whole instance. */
  actors: z.array(z.string()).nullable(),
});

/** The first line. */
export type DumpHeader = z.infer<typeof dumpHeaderSchema>;

export const tableLineSchema = z.object({
  table: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  columns: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).min(1),
});

/** Starts a table's rows. */
export type TableLine = z.infer<typeof tableLineSchema>;

export const rowLineSchema = z.array(z.union([z.string(), z.number(), z.null()]));

export const endLineSchema = z.object({
  end: z.literal(true),
  rows: z.record(z.string(), z.number().int().nonnegative()),
});

/** The last line: how many rows each table had. */
export type EndLine = z.infer<typeof endLineSchema>;
