/**
 * A blog on Fastify whose posts are published to the fediverse as Articles.
 * Run it with `ORIGIN=https://blog.example npx node examples/fastify/server.ts`.
 */
import Fastify from "fastify";
import { fastifyPlugin } from "outpost/adapters/fastify";
import { createBlog, type NewPost } from "../shared/blog.ts";
import { startExample, type RunningExample, type StartOptions } from "../shared/start.ts";

/** Starts the blog. */
export function startBlog(options: StartOptions = {}): Promise<RunningExample> {
  return startExample(options, async ({ server, outpost }) => {
    const blog = createBlog(outpost);
    const app = Fastify();
    // Outpost answers from an onRequest hook, before Fastify parses any body.
    await app.register(fastifyPlugin(outpost));
    app.get("/", async (_request, reply) => reply.type("text/html").send(blog.homePage()));
    app.get<{ Params: { slug: string } }>("/posts/:slug", async (request, reply) => {
      const page = await blog.postPage(request.params.slug);
      return page === undefined ? reply.code(404).send("no such post") : reply.type("text/html").send(page);
    });
    app.post<{ Body: NewPost }>("/posts", async (request, reply) => {
      const result = await blog.addPost(request.body ?? {});
      return reply.code(result.status).send(result.body);
    });
    await app.ready();
    server.on("request", (req, res) => app.routing(req, res));
  });
}

if (import.meta.main) {
  const blog = await startBlog();
  console.log(`blog listening on ${blog.url}`);
}
