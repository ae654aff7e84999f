import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
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
});
