/**
 * A PostgreSQL introspector that looks at one schema only. Kysely's own
 * lists every table of every schema with their columns; the migrator asks it
 * whether its bookkeeping tables exist, and such a catalog-wide query fails
 * outright when another process drops a schema meanwhile (test runs, tenants
 * sharing a database), besides slowing down as schemas pile up. Table names
 * are all the migrator needs.
 */
import { sql, type DatabaseIntrospector, type Kysely, type SchemaMetadata, type TableMetadata } from "kysely";

/** Parameters of {@link createSchemaScopedIntrospector}. */
export interface SchemaScopedIntrospectorParams {
  /** Any database: only the catalog is read. */
  readonly db: Kysely<any>;
  /** The schema to report; undefined for the connection's current schema. */
  readonly schema: string | undefined;
}

/** An introspector reporting only the tables of one schema. */
export function createSchemaScopedIntrospector(params: SchemaScopedIntrospectorParams): DatabaseIntrospector {
  const { db, schema } = params;
  const schemaName = schema === undefined ? sql<string>`current_schema()` : sql<string>`${schema}`;
  const getTables = async (): Promise<TableMetadata[]> => {
    const { rows } = await sql<{ name: string; schema: string; is_view: boolean }>`
      select table_name as name, table_schema as schema, table_type = 'VIEW' as is_view
      from information_schema.tables
      where table_schema = ${schemaName}`.execute(db);
    return rows.map((row) => ({ name: row.name, schema: row.schema, isView: row.is_view, columns: [] }));
  };
  return {
    async getSchemas(): Promise<SchemaMetadata[]> {
      const { rows } = await sql<{ name: string }>`
        select nspname as name from pg_catalog.pg_namespace where nspname = ${schemaName}`.execute(db);
      return rows;
    },
    getTables,
    async getMetadata() {
      return { tables: await getTables() };
    },
  };
}
