/** Pure builders for every document Outpost serves or sends. */
export * from "./actor-document.ts";
export * from "./activities.ts";
export * from "./note.ts";
export * from "./collections.ts";
export * from "./webfinger.ts";
export * from "./discovery.ts";
