/**
 * safeFetch over the default network (undici's request API), against real
 * servers on loopback: the same answers, limits and redirect rules as
 * through a fetch the context was given.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { createTestContext } from "../../../test/support/federation-context.ts";
import { platformFetch } from "./platform-transport.ts";
import { safeFetch } from "./safe-fetch.ts";

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

interface TestServer {
  readonly origin: string;
  readonly connections: () => number;
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Handler>();
  let connections = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const handler = routes.get(new URL(request.url ?? "/", "http://x").pathname);
      if (handler === undefined) response.writeHead(404).end("no such route");
      else handler(request, Buffer.concat(chunks).toString("utf8"), response);
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    connections: () => connections,
    route: (path, handler) => routes.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("safeFetch on the default network", () => {
  let a: TestServer;
  let b: TestServer;
  const closers: (() => Promise<void>)[] = [];
  before(async () => {
    a = await startServer();
    b = await startServer();
  });
  after(async () => {
    for (const close of closers) await close();
    await a.close();
    await b.close();
  });

  async function context(config: { allowPrivateAddresses?: boolean; fetchTimeoutMs?: number } = {}) {
    const ctx = await createTestContext({ fetch: platformFetch, config: { allowPrivateAddresses: true, ...config } });
    closers.push(() => ctx.store.close());
    return ctx;
  }

  it("sends the method, headers and body, and returns status, headers and body", async () => {
    a.route("/echo", (request, body, response) => {
      response.setHeader("set-cookie", ["a=1", "b=2"]);
      response.writeHead(201, { "content-type": "application/json", "x-seen-accept": String(request.headers.accept) });
      response.end(JSON.stringify({ method: request.method, path: request.url, type: request.headers["content-type"], body }));
    });
    const ctx = await context();
    const result = await safeFetch(ctx, `${a.origin}/echo?x=1#fragment`, {
      method: "POST",
      headers: new Headers({ "content-type": "application/activity+json", accept: "application/activity+json" }),
      body: new TextEncoder().encode('{"type":"Follow"}'),
    });
    assert.ok(result.ok);
    assert.equal(result.status, 201);
    assert.equal(result.headers.get("content-type"), "application/json");
    assert.equal(result.headers.get("x-seen-accept"), "application/activity+json");
    assert.deepEqual(result.headers.getSetCookie(), ["a=1", "b=2"]);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(result.body)), {
      method: "POST",
      path: "/echo?x=1",
      type: "application/activity+json",
      body: '{"type":"Follow"}',
    });
  });

  it("returns error statuses with their body", async () => {
    const ctx = await context();
    const result = await safeFetch(ctx, `${a.origin}/missing`);
    assert.ok(result.ok);
    assert.equal(result.status, 404);
    assert.equal(new TextDecoder().decode(result.body), "no such route");
  });

  it("follows a redirect, turning a POST answered 303 into a GET, and reports the final URL", async () => {
    a.route("/moved", (_request, _body, response) => response.writeHead(303, { location: "/landed" }).end("see other"));
    a.route("/landed", (request, body, response) => response.writeHead(200).end(`${request.method} ${body.length}`));
    const ctx = await context();
    const result = await safeFetch(ctx, `${a.origin}/moved`, { method: "POST", body: "{}" });
    assert.ok(result.ok);
    assert.equal(result.url, `${a.origin}/landed`);
    assert.equal(new TextDecoder().decode(result.body), "GET 0");
  });

  it("keeps credentials away from another origin on redirect", async () => {
    a.route("/away", (_request, _body, response) => response.writeHead(302, { location: `${b.origin}/there` }).end());
    b.route("/there", (request, _body, response) =>
      response.writeHead(200).end(JSON.stringify({ authorization: request.headers.authorization ?? null, signature: request.headers.signature ?? null })),
    );
    const ctx = await context();
    const result = await safeFetch(ctx, `${a.origin}/away`, {
      headers: new Headers({ authorization: "Bearer secret", signature: 'keyId="k"' }),
    });
    assert.ok(result.ok);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(result.body)), { authorization: null, signature: null });
  });

  it("refuses a body over the limit, declared or streamed, and cuts one short when asked", async () => {
    a.route("/declared", (_request, _body, response) => response.writeHead(200, { "content-length": "5000" }).end("z".repeat(5000)));
    a.route("/streamed", (_request, _body, response) => {
      response.writeHead(200);
      for (let i = 0; i < 50; i++) response.write("x".repeat(100));
      response.end();
    });
    const ctx = await context();
    const declared = await safeFetch(ctx, `${a.origin}/declared`, { maxBytes: 1000 });
    assert.equal(!declared.ok && declared.reason, "tooLarge");
    const streamed = await safeFetch(ctx, `${a.origin}/streamed`, { maxBytes: 1000 });
    assert.equal(!streamed.ok && streamed.reason, "tooLarge");
    const truncated = await safeFetch(ctx, `${a.origin}/streamed`, { maxBytes: 1000, truncateBody: true });
    assert.ok(truncated.ok);
    assert.equal(truncated.status, 200);
    assert.equal(truncated.body.byteLength, 1000);
  });

  it("gives up on a server that does not answer in time", async () => {
    a.route("/silent", () => {
      // Never answers.
    });
    const ctx = await context({ fetchTimeoutMs: 200 });
    const result = await safeFetch(ctx, `${a.origin}/silent`);
    assert.equal(!result.ok && result.reason, "timeout");
  });

  it("reports a refused connection as a network failure", async () => {
    const gone = await startServer();
    const origin = gone.origin;
    await gone.close();
    const ctx = await context();
    const result = await safeFetch(ctx, `${origin}/inbox`, { method: "POST", body: "{}" });
    assert.equal(!result.ok && result.reason, "network");
  });

  it("refuses a private address unless private addresses are allowed", async () => {
    const ctx = await context({ allowPrivateAddresses: false });
    const result = await safeFetch(ctx, `${a.origin}/echo`);
    assert.equal(!result.ok && result.reason, "blockedAddress");
  });

  it("reuses one connection for requests one after another", async () => {
    const server = await startServer();
    closers.push(() => server.close());
    server.route("/inbox", (_request, _body, response) => response.writeHead(202).end("accepted"));
    server.route("/hop", (_request, _body, response) => response.writeHead(307, { location: "/inbox" }).end("elsewhere"));
    const ctx = await context();
    const post = async (path: string) => {
      const result = await safeFetch(ctx, `${server.origin}${path}`, { method: "POST", body: "{}" });
      assert.equal(result.ok && result.status, 202);
      // Undici hands a finished connection back out one event-loop turn after the response.
      await new Promise((resolve) => setImmediate(resolve));
    };
    for (let i = 0; i < 3; i++) await post("/inbox");
    assert.equal(server.connections(), 1);
    // The redirect's own answer is read to its end, so its connection stays usable: the hop
    // after it may open a second one (the first is not handed back yet), and no more follow.
    await post("/hop");
    await post("/hop");
    for (let i = 0; i < 3; i++) await post("/inbox");
    assert.ok(server.connections() <= 2, `${server.connections()} connections`);
  });
});
