/**
 * A blog on Express whose posts are published to the fediverse as Articles.
 * Run it with `ORIGIN=https://blog.example npx node examples/express-blog/server.ts`.
 */
import express from "express";
import { expressMiddleware } from "outpost/adapters/express";
import { createBlog } from "../shared/blog.ts";
import { startExample, type RunningExample, type StartOptions } from "../shared/start.ts";

/** Starts the blog. */
export function startBlog(options: StartOptions = {}): Promise<RunningExample> {
  return startExample(options, ({ server, outpost }) => {
    const blog = createBlog(outpost);
    const app = express();
    // First: Outpost verifies signatures over the exact bytes of inbox bodies.
    app.use(expressMiddleware(outpost));
    app.use(express.json(), express.urlencoded({ extended: false }));
    app.get("/", (_req, res) => {
      res.type("html").send(blog.homePage());
    });
    app.get("/posts/:slug", async (req, res) => {
      const page = await blog.postPage(req.params.slug);
      if (page === undefined) res.status(404).send("no such post");
      else res.type("html").send(page);
    });
    app.post("/posts", async (req, res) => {
      const result = await blog.addPost(req.body ?? {});
      res.status(result.status).json(result.body);
    });
    server.on("request", app);
  });
}

if (import.meta.main) {
  const blog = await startBlog();
  console.log(`blog listening on ${blog.url}`);
}
