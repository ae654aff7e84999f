import { nodeInfoUrl, webFingerTemplate } from "./uris.ts";

const NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/";

/** `/.well-known/host-meta` as XRD, pointing WebFinger clients at the lookup endpoint. */
export function buildHostMetaXrd(origin: string): string {
  const template = webFingerTemplate(origin)
    .replaceAll("&", "&amp;")
    .replaceAll('"', "&quot;")
    .replaceAll("<", "&lt;");
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">',
    `  <Link rel="lrdd" template="${template}"/>`,
    "</XRD>",
    "",
  ].join("\n");
}

/** `/.well-known/host-meta.json`: the JSON form of the same pointer. */
export function buildHostMetaJson(origin: string): Record<string, unknown> {
  return { links: [{ rel: "lrdd", template: webFingerTemplate(origin) }] };
}

/** `/.well-known/nodeinfo`: where the NodeInfo documents of each schema version are. */
export function buildNodeInfoDiscovery(origin: string): Record<string, unknown> {
  return {
    links: [
      { rel: `${NODEINFO_SCHEMA}2.1`, href: nodeInfoUrl(origin, "2.1") },
      { rel: `${NODEINFO_SCHEMA}2.0`, href: nodeInfoUrl(origin, "2.0") },
    ],
  };
}

/** Server statistics and software description published through NodeInfo. */
export interface NodeInfoParams {
  readonly version: "2.0" | "2.1";
  readonly software: {
    readonly name: string;
    readonly version: string;
    /** Only published in 2.1. */
    readonly repository?: string;
    /** Only published in 2.1. */
    readonly homepage?: string;
  };
  readonly usage: {
    readonly users: { readonly total: number; readonly activeMonth: number; readonly activeHalfyear: number };
    readonly localPosts: number;
  };
  readonly openRegistrations: boolean;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/**
 * A NodeInfo 2.0 or 2.1 document. The software name is forced into the schema's `[a-z0-9-]`
 * alphabet because crawlers reject documents that break it.
 */
export function buildNodeInfo(params: NodeInfoParams): Record<string, unknown> {
  const software: Record<string, unknown> = {
    name: params.software.name.toLowerCase().replace(/[^a-z0-9-]/g, "-"),
    version: params.software.version,
  };
  if (params.version === "2.1") {
    if (params.software.repository !== undefined) software.repository = params.software.repository;
    if (params.software.homepage !== undefined) software.homepage = params.software.homepage;
  }
  return {
    version: params.version,
    software,
    protocols: ["activitypub"],
    services: { inbound: [], outbound: [] },
    openRegistrations: params.openRegistrations,
    usage: {
      users: {
        total: params.usage.users.total,
        activeMonth: params.usage.users.activeMonth,
        activeHalfyear: params.usage.users.activeHalfyear,
      },
      localPosts: params.usage.localPosts,
    },
    metadata: { ...params.metadata },
  };
}
