import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { describeAdapterContract } from "./adapter.test-support.ts";
import { honoMiddleware } from "./hono.ts";

describeAdapterContract("Hono", ({ server, outpost }) => {
  const app = new Hono();
  app.use(honoMiddleware(outpost));
  app.get("/", (c) => c.text("home"));
  app.get("/posts/:slug", (c) => c.html("<html>post</html>"));
  app.post("/comments", async (c) => c.json(await c.req.json()));
  server.on("request", getRequestListener(app.fetch));
});
