/** The ActivityStreams/ActivityPub layer: pure functions over JSON, no I/O. */
export * from "./vocabulary.ts";
export * from "./json-ld.ts";
export * from "./parse-result.ts";
export * from "./normalize.ts";
export * from "./addressing.ts";
export * from "./uris.ts";
export * from "./content.ts";
export * from "./sanitize.ts";
export * from "./documents.ts";
