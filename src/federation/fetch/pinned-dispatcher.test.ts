import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { remoteDispatcher } from "./pinned-dispatcher.ts";

describe("remote dispatcher", () => {
  let server: Server;
  let origin: string;
  before(async () => {
    server = createServer((request, response) => response.end(`hello ${request.url}`));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  const get = async (path: string): Promise<string> => {
    const dispatcher = await remoteDispatcher({ allowPrivateAddresses: true });
    const response = await dispatcher.request({ origin, path, method: "GET" });
    return response.body.text();
  };

  // The agent closes an origin's pool once its connections are gone, and makes a new one for the next request.
  test("reaches an origin again after its connections were closed and its pool with them", async () => {
    assert.equal(await get("/first"), "hello /first");
    const closed = once(server, "connection").then(() => undefined);
    server.closeAllConnections();
    // Give undici the turn in which it sees the socket end and closes the pool.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await get("/second"), "hello /second");
    await closed;
  });

  test("is made of undici's dispatchers alone: its fetch, WebSocket and cache are never loaded", async () => {
    assert.equal(await get("/parts"), "hello /parts");
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((path) => /[\\/]undici[\\/]/.test(path));
    assert.ok(loaded.some((path) => /[\\/]lib[\\/]dispatcher[\\/]agent\.js$/.test(path)), "undici's agent is loaded");
    assert.deepEqual(loaded.filter((path) => /[\\/]lib[\\/](web|cache|mock)[\\/]/.test(path)), []);
  });

  test("requests one after another share one connection", async () => {
    let connections = 0;
    const count = () => connections++;
    server.on("connection", count);
    try {
      // A fresh origin name for the same server, so that no earlier connection is reused.
      const dispatcher = await remoteDispatcher({ allowPrivateAddresses: true });
      const fresh = origin.replace("127.0.0.1", "localhost");
      for (const path of ["/a", "/b", "/c"]) {
        const response = await dispatcher.request({ origin: fresh, path, method: "GET" });
        assert.equal(await response.body.text(), `hello ${path}`);
      }
      assert.equal(connections, 1);
    } finally {
      server.off("connection", count);
    }
  });
});

describe("remote dispatcher, many requests at once to one origin", () => {
  // Answers nothing until `expected` requests are open at once (then everything at once), so requests sent one at a time never finish.
  let server: Server;
  let origin: string;
  let open = 0;
  let mostOpen = 0;
  let waiting: Array<() => void> = [];
  let expected = 0;
  before(async () => {
    server = createServer((request, response) => {
      open++;
      mostOpen = Math.max(mostOpen, open);
      const answer = () => {
        response.end(`hello ${request.url}`);
        open--;
      };
      waiting.push(answer);
      if (waiting.length >= expected) {
        const all = waiting;
        waiting = [];
        expected = 1;
        for (const release of all) release();
      }
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const getAll = async (count: number): Promise<string[]> => {
    const dispatcher = await remoteDispatcher({ allowPrivateAddresses: true });
    return Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const response = await dispatcher.request({ origin, path: `/${i}`, method: "GET" });
        return response.body.text();
      }),
    );
  };

  test("a request that comes while the origin's connection is taken gets a connection of its own", async () => {
    expected = 5;
    mostOpen = 0;
    assert.deepEqual(await getAll(5), ["hello /0", "hello /1", "hello /2", "hello /3", "hello /4"]);
    assert.equal(mostOpen, 5);
  });

  test("an origin never gets more than 16 requests at once", async () => {
    // 16 open at once release everything; the other 4 then wait for a free connection.
    expected = 16;
    mostOpen = 0;
    const answers = getAll(20);
    const settled = await Promise.race([answers.then(() => "answered"), new Promise((resolve) => setTimeout(resolve, 5_000, "stuck"))]);
    if (settled === "stuck") for (const release of waiting.splice(0)) release();
    assert.equal(settled, "answered", `fewer than 16 requests were open at once (at most ${mostOpen})`);
    assert.equal((await answers).length, 20);
    assert.equal(mostOpen, 16);
  });
});
