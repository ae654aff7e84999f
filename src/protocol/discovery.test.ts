import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildHostMetaJson, buildHostMetaXrd, buildNodeInfo, buildNodeInfoDiscovery, type NodeInfoParams } from "./discovery.ts";

describe("host-meta", () => {
  it("points at the WebFinger endpoint in XRD, with the template escaped", () => {
    const xml = buildHostMetaXrd("https://outpost.example/");
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<XRD xmlns="http:\/\/docs\.oasis-open\.org\/ns\/xri\/xrd-1\.0">/);
    assert.ok(xml.includes('<Link rel="lrdd" template="https://outpost.example/.well-known/webfinger?resource={uri}"/>'));
  });

  it("and in JSON", () => {
    assert.deepEqual(buildHostMetaJson("https://outpost.example"), {
      links: [{ rel: "lrdd", template: "https://outpost.example/.well-known/webfinger?resource={uri}" }],
    });
  });
});

describe("NodeInfo", () => {
  it("lists both schema versions", () => {
    assert.deepEqual(buildNodeInfoDiscovery("https://outpost.example"), {
      links: [
        { rel: "http://nodeinfo.diaspora.software/ns/schema/2.1", href: "https://outpost.example/nodeinfo/2.1" },
        { rel: "http://nodeinfo.diaspora.software/ns/schema/2.0", href: "https://outpost.example/nodeinfo/2.0" },
      ],
    });
  });

  const params: NodeInfoParams = {
    version: "2.1",
    software: { name: "Outpost", version: "0.1.0", repository: "https://code.example/outpost", homepage: "https://outpost.example" },
    usage: { users: { total: 3, activeMonth: 2, activeHalfyear: 3 }, localPosts: 42 },
    openRegistrations: false,
    metadata: { nodeName: "My outpost" },
  };

  it("builds a 2.1 document with repository and homepage", () => {
    assert.deepEqual(buildNodeInfo(params), {
      version: "2.1",
      software: { name: "outpost", version: "0.1.0", repository: "https://code.example/outpost", homepage: "https://outpost.example" },
      protocols: ["activitypub"],
      services: { inbound: [], outbound: [] },
      openRegistrations: false,
      usage: { users: { total: 3, activeMonth: 2, activeHalfyear: 3 }, localPosts: 42 },
      metadata: { nodeName: "My outpost" },
    });
  });

  it("leaves 2.1-only fields out of 2.0 and keeps the name in the schema's alphabet", () => {
    const doc = buildNodeInfo({ ...params, version: "2.0", software: { ...params.software, name: "My Outpost!" } });
    assert.equal(doc.version, "2.0");
    assert.deepEqual(doc.software, { name: "my-outpost-", version: "0.1.0" });
  });
});
