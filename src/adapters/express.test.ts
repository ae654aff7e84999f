import assert from "node:assert/strict";
import { describe, it } from "node:test";
import express from "express";
import { describeAdapterContract, PREFIX, startAdapterWorld, type AdapterWorld } from "./adapter.test-support.ts";
import { BodyConsumedError, expressMiddleware } from "./express.ts";

describeAdapterContract("Express", ({ server, outpost }) => {
  const app = express();
  app.use(expressMiddleware(outpost));
  app.use(express.json());
  app.get("/", (_req, res) => {
    res.send("home");
  });
  app.get("/posts/:slug", (_req, res) => {
    res.type("html").send("<html>post</html>");
  });
  app.post("/comments", (req, res) => {
    res.json(req.body);
  });
  server.on("request", app);
});

describe("Express with body parsers mounted before Outpost", () => {
  const follow = (world: AdapterWorld) => ({
    id: `${world.bob.uri}#follows/${Math.random()}`,
    type: "Follow",
    actor: world.bob.uri,
    object: `${world.origin}${PREFIX}/users/blog`,
  });
  const inbox = `${PREFIX}/users/blog/inbox`;

  it("still verifies inbox POSTs behind express.json(), which leaves ActivityPub media types alone", async () => {
    const world = await startAdapterWorld({
      attach: ({ server, outpost }) => {
        const app = express();
        app.use(express.json());
        app.use(expressMiddleware(outpost));
        app.post("/comments", (req, res) => {
          res.json(req.body);
        });
        server.on("request", app);
      },
    });
    try {
      const response = await world.postSigned(inbox, follow(world));
      assert.equal(response.status, 202, await response.text());
      const comment = await fetch(`${world.origin}/comments`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' });
      assert.deepEqual(await comment.json(), { a: 1 });
    } finally {
      await world.close();
    }
  });

  it("fails loudly, not with a wrong signature check, behind a parser that took the body", async () => {
    const errors: unknown[] = [];
    const world = await startAdapterWorld({
      attach: ({ server, outpost }) => {
        const app = express();
        app.use(express.text({ type: "*/*" }));
        app.use(expressMiddleware(outpost));
        app.post("/comments", (req, res) => {
          res.type("text").send(req.body);
        });
        app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
          errors.push(error);
          res.status(500).send(error instanceof Error ? error.message : "error");
        });
        server.on("request", app);
      },
    });
    try {
      const response = await world.postSigned(inbox, follow(world));
      assert.equal(response.status, 500);
      assert.match(await response.text(), /Mount Outpost's middleware before any body parser/);
      assert.ok(errors[0] instanceof BodyConsumedError);
      const comment = await fetch(`${world.origin}/comments`, { method: "POST", body: "plain words" });
      assert.equal(await comment.text(), "plain words", "the site's own routes keep working");
    } finally {
      await world.close();
    }
  });

  it("verifies inbox POSTs behind a parser that keeps the raw body as req.rawBody", async () => {
    const world = await startAdapterWorld({
      attach: ({ server, outpost }) => {
        const app = express();
        app.use(
          express.json({
            type: ["application/json", "application/activity+json", "application/ld+json"],
            verify: (req, _res, buffer) => {
              (req as typeof req & { rawBody?: Buffer }).rawBody = buffer;
            },
          }),
        );
        app.use(expressMiddleware(outpost));
        server.on("request", app);
      },
    });
    try {
      const response = await world.postSigned(inbox, follow(world));
      assert.equal(response.status, 202, await response.text());
    } finally {
      await world.close();
    }
  });
});
