import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { createTestContext, type TestContextOptions } from "../../../test/support/federation-context.ts";
import { checkHost, isBlockedAddress } from "./address-policy.ts";
import { createFakeNetwork } from "./fake-network.test-support.ts";
import { createGuardedLookup, pinnedDispatcher } from "./pinned-dispatcher.ts";
import { safeFetch } from "./safe-fetch.ts";

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

async function context(options: TestContextOptions & { allowPrivate?: boolean } = {}) {
  const ctx = await createTestContext({
    ...options,
    config: { allowPrivateAddresses: options.allowPrivate ?? true, ...options.config },
  });
  closers.push(() => ctx.store.close());
  return ctx;
}

describe("isBlockedAddress", () => {
  const blocked = [
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fd00::1",
    "fc12::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:a00:1",
    "[::1]",
    "not-an-address",
  ];
  const allowed = ["93.184.215.14", "172.32.0.1", "100.128.0.1", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"];
  for (const address of blocked) it(`blocks ${address}`, () => assert.equal(isBlockedAddress(address), true));
  for (const address of allowed) it(`allows ${address}`, () => assert.equal(isBlockedAddress(address), false));
});

describe("checkHost", () => {
  it("refuses a host when any one of its addresses is private", async () => {
    const result = await checkHost({
      hostname: "mixed.example",
      resolver: async () => [
        { address: "93.184.215.14", family: 4 },
        { address: "10.0.0.7", family: 4 },
      ],
    });
    assert.equal(result.ok, false);
    assert.equal(result.ok === false && result.reason, "blockedAddress");
  });

  it("reports a name that does not resolve", async () => {
    const result = await checkHost({
      hostname: "nowhere.example",
      resolver: async () => {
        throw Object.assign(new Error("queryA ENOTFOUND"), { code: "ENOTFOUND" });
      },
    });
    assert.equal(result.ok === false && result.reason, "dnsFailure");
  });
});

describe("safeFetch", () => {
  it("returns the status, headers and body of a response, error statuses included", async () => {
    const net = createFakeNetwork();
    net.route("https://remote.example/missing", () => new Response("gone away", { status: 410, headers: { "x-a": "1" } }));
    const ctx = await context({ fetch: net.fetch });
    const result = await safeFetch(ctx, "https://remote.example/missing");
    assert.equal(result.ok, true);
    if (!result.ok) return;
    assert.equal(result.status, 410);
    assert.equal(result.headers.get("x-a"), "1");
    assert.equal(new TextDecoder().decode(result.body), "gone away");
    assert.match(net.requests[0]!.headers.get("user-agent") ?? "", /outpost/);
  });

  for (const url of ["http://127.0.0.1:8080/x", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://10.0.0.5/", "http://169.254.169.254/latest/meta-data", "http://localhost:9/"]) {
    it(`refuses ${url} when private addresses are not allowed, without sending anything`, async () => {
      const net = createFakeNetwork();
      const ctx = await context({ fetch: net.fetch, allowPrivate: false });
      const result = await safeFetch(ctx, url);
      assert.equal(result.ok === false && result.reason, "blockedAddress");
      assert.equal(net.requests.length, 0);
    });
  }

  it("reaches private addresses when they are allowed", async () => {
    const net = createFakeNetwork();
    net.route("http://127.0.0.1:8080/x", () => new Response("hi"));
    const ctx = await context({ fetch: net.fetch, allowPrivate: true });
    const result = await safeFetch(ctx, "http://127.0.0.1:8080/x");
    assert.equal(result.ok && result.status, 200);
  });

  for (const url of ["file:///etc/passwd", "ftp://remote.example/", "not a url", "https://user:pw@remote.example/"]) {
    it(`refuses ${JSON.stringify(url)} as an invalid URL`, async () => {
      const net = createFakeNetwork();
      const ctx = await context({ fetch: net.fetch });
      const result = await safeFetch(ctx, url);
      assert.equal(result.ok === false && result.reason, "invalidUrl");
      assert.equal(net.requests.length, 0);
    });
  }

  it("follows redirects and reports the final URL", async () => {
    const net = createFakeNetwork();
    net.route("https://a.example/1", () => new Response(null, { status: 301, headers: { location: "/2" } }));
    net.route("https://a.example/2", () => new Response(null, { status: 302, headers: { location: "https://b.example/3" } }));
    net.route("https://b.example/3", () => new Response("end"));
    const ctx = await context({ fetch: net.fetch });
    const result = await safeFetch(ctx, "https://a.example/1");
    assert.equal(result.ok && result.url, "https://b.example/3");
    assert.deepEqual(net.requests.map((r) => r.url), ["https://a.example/1", "https://a.example/2", "https://b.example/3"]);
  });

  it("stops after the allowed number of redirects", async () => {
    const net = createFakeNetwork();
    for (let i = 0; i < 10; i++) {
      net.route(`https://loop.example/${i}`, () => new Response(null, { status: 302, headers: { location: `/${i + 1}` } }));
    }
    const ctx = await context({ fetch: net.fetch });
    const result = await safeFetch(ctx, "https://loop.example/0", { maxRedirects: 2 });
    assert.equal(result.ok === false && result.reason, "tooManyRedirects");
    assert.equal(net.requests.length, 3);
  });

  it("checks every redirect hop against the address policy", async () => {
    const net = createFakeNetwork();
    net.route("http://93.184.215.14/start", () => new Response(null, { status: 302, headers: { location: "http://127.0.0.1/admin" } }));
    const ctx = await context({ fetch: net.fetch, allowPrivate: false });
    const result = await safeFetch(ctx, "http://93.184.215.14/start");
    assert.equal(result.ok === false && result.reason, "blockedAddress");
    assert.deepEqual(net.requests.map((r) => r.url), ["http://93.184.215.14/start"]);
  });

  it("does not carry credentials to another origin on redirect", async () => {
    const net = createFakeNetwork();
    net.route("https://a.example/x", () => new Response(null, { status: 307, headers: { location: "https://b.example/y" } }));
    net.route("https://b.example/y", () => new Response("ok"));
    const ctx = await context({ fetch: net.fetch });
    await safeFetch(ctx, "https://a.example/x", { headers: new Headers({ authorization: "Bearer s3cret", accept: "text/plain" }) });
    const [first, second] = net.requests;
    assert.equal(first!.headers.get("authorization"), "Bearer s3cret");
    assert.equal(second!.headers.get("authorization"), null);
    assert.equal(second!.headers.get("accept"), "text/plain");
  });

  it("signs every hop again for its own URL", async () => {
    const net = createFakeNetwork();
    net.route("https://a.example/x", () => new Response(null, { status: 301, headers: { location: "https://a.example/y" } }));
    net.route("https://a.example/y", () => new Response("ok"));
    const ctx = await context({ fetch: net.fetch });
    await safeFetch(ctx, "https://a.example/x", {
      sign: (hop) => {
        hop.headers.set("signature", `signed ${new URL(hop.url).pathname}`);
        return hop.headers;
      },
    });
    assert.deepEqual(net.requests.map((r) => r.headers.get("signature")), ["signed /x", "signed /y"]);
  });

  it("refuses a body whose declared length is over the limit", async () => {
    const net = createFakeNetwork();
    net.route("https://big.example/", () => new Response("x".repeat(2000), { headers: { "content-length": "2000" } }));
    const ctx = await context({ fetch: net.fetch });
    const result = await safeFetch(ctx, "https://big.example/", { maxBytes: 1000 });
    assert.equal(result.ok === false && result.reason, "tooLarge");
  });

  it("cuts off a streamed body once it passes the limit", async () => {
    const net = createFakeNetwork();
    let pulled = 0;
    net.route("https://endless.example/", () => {
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          controller.enqueue(new Uint8Array(512));
        },
      });
      return new Response(stream);
    });
    const ctx = await context({ fetch: net.fetch });
    const result = await safeFetch(ctx, "https://endless.example/", { maxBytes: 4096 });
    assert.equal(result.ok === false && result.reason, "tooLarge");
    assert.ok(pulled < 20, `read ${pulled} chunks of an endless body`);
  });

  it("gives up on a server that does not answer in time", async () => {
    const ctx = await context({
      fetch: (_input, init) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
        }),
    });
    const result = await safeFetch(ctx, "https://slow.example/", { timeoutMs: 20 });
    assert.equal(result.ok === false && result.reason, "timeout");
  });

  it("reports a connection failure as a network failure", async () => {
    const ctx = await context({
      fetch: async () => {
        throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
      },
    });
    const result = await safeFetch(ctx, "https://refused.example/");
    assert.equal(result.ok === false && result.reason, "network");
  });
});

describe("pinned dispatcher", () => {
  let server: Server;
  let port: number;
  before(async () => {
    server = createServer((_req, res) => res.end("private"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("refuses at connect time a name that resolves to a private address", async () => {
    const init = { dispatcher: await pinnedDispatcher() } as RequestInit;
    await assert.rejects(globalThis.fetch(`http://localhost:${port}/`, init), (error: unknown) => {
      const cause = error instanceof Error ? error.cause : undefined;
      return cause instanceof Error && "code" in cause && cause.code === "EBLOCKEDADDRESS";
    });
  });

  it("hands out only the checked addresses", async () => {
    const lookup = createGuardedLookup({ resolver: async () => [{ address: "93.184.215.14", family: 4 }] });
    const addresses = await new Promise<unknown>((resolve, reject) =>
      lookup("public.example", { all: true }, (error, address) => (error ? reject(error) : resolve(address))),
    );
    assert.deepEqual(addresses, [{ address: "93.184.215.14", family: 4 }]);
    const refused = createGuardedLookup({ resolver: async () => [{ address: "192.168.0.10", family: 4 }] });
    const error = await new Promise<unknown>((resolve) => refused("rebind.example", {}, (e) => resolve(e)));
    assert.equal(error instanceof Error && "code" in error && error.code, "EBLOCKEDADDRESS");
  });
});

describe("connections to a real server", () => {
  let server: Server;
  let port: number;
  let connections = 0;
  before(async () => {
    // Node's own server announces "Keep-Alive: timeout=2" here, as many servers announce a few seconds.
    server = createServer({ keepAliveTimeout: 2_000 }, (_req, res) => res.writeHead(202).end());
    server.on("connection", () => connections++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("keeps a connection for the next request even when the server announces a short keep-alive", async () => {
    const ctx = await context({ fetch: globalThis.fetch });
    for (let i = 0; i < 3; i++) {
      const result = await safeFetch(ctx, `http://127.0.0.1:${port}/inbox`, { method: "POST", body: "{}" });
      assert.equal(result.ok && result.status, 202);
      // Undici hands a finished connection back out one event-loop turn after the response.
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(connections, 1);
  });
});

describe("safeFetch with truncateBody", () => {
  it("keeps the status and the first bytes of an oversize body", async () => {
    const net = createFakeNetwork();
    net.route("https://chatty.example/inbox", () => new Response("y".repeat(5000), { status: 202 }));
    const ctx = await context({ fetch: net.fetch });
    const result = await safeFetch(ctx, "https://chatty.example/inbox", { method: "POST", body: "{}", maxBytes: 100, truncateBody: true });
    assert.equal(result.ok && result.status, 202);
    assert.equal(result.ok && result.body.byteLength, 100);
  });
});
