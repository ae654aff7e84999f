/**
 * A blog on Hono whose posts are published to the fediverse as Articles.
 * Run it with `ORIGIN=https://blog.example npx node examples/hono/server.ts`.
 */
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { honoMiddleware } from "outpost/adapters/hono";
import { createBlog, type NewPost } from "../shared/blog.ts";
import { startExample, type RunningExample, type StartOptions } from "../shared/start.ts";

/** Starts the blog. */
export function startBlog(options: StartOptions = {}): Promise<RunningExample> {
  return startExample(options, ({ server, outpost }) => {
    const blog = createBlog(outpost);
    const app = new Hono();
    app.use(honoMiddleware(outpost));
    app.get("/", (c) => c.html(blog.homePage()));
    app.get("/posts/:slug", async (c) => {
      const page = await blog.postPage(c.req.param("slug"));
      return page === undefined ? c.text("no such post", 404) : c.html(page);
    });
    app.post("/posts", async (c) => {
      const result = await blog.addPost(await c.req.json<NewPost>());
      return c.json(result.body, result.status as 201);
    });
    server.on("request", getRequestListener(app.fetch));
  });
}

if (import.meta.main) {
  const blog = await startBlog();
  console.log(`blog listening on ${blog.url}`);
}
