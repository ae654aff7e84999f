/** The JSON-files store: a {@link Store} kept as readable JSON files in one directory. */
export { createJsonStore, type JsonStore, type JsonStoreParameters } from "./json-store.ts";
export type { JsonFileSystem } from "./atomic-file.ts";
export { CURRENT_SCHEMA_VERSION as JSON_STORE_SCHEMA_VERSION } from "./schema-version.ts";
