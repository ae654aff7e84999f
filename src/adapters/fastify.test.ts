import Fastify from "fastify";
import { describeAdapterContract } from "./adapter.test-support.ts";
import { fastifyPlugin } from "./fastify.ts";

describeAdapterContract("Fastify", async ({ server, outpost }) => {
  const app = Fastify();
  await app.register(fastifyPlugin(outpost));
  app.get("/", async () => "home");
  app.get("/posts/:slug", async (_request, reply) => reply.type("text/html").send("<html>post</html>"));
  app.post("/comments", async (request) => request.body);
  await app.ready();
  // The server is already listening (Outpost needed its origin first); Fastify routes its requests.
  server.on("request", (req, res) => app.routing(req, res));
});
