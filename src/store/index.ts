/** The store: the records Outpost keeps, the interface over them, and the SQL implementation. */
export type * from "./records.ts";
export type * from "./store.ts";
export type { Database, SqlDialectName } from "./schema.ts";
export { createSqlStore, type SqlStore, type SqlStoreParameters } from "./sql-store.ts";
export { JsonText } from "./json-text.ts";
export * from "./json/index.ts";
