/**
 * A blog on plain node:http whose posts are published to the fediverse as
 * Articles. Run it with `ORIGIN=https://blog.example npx node examples/node-http/server.ts`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { nodeHandler } from "outpost/adapters/node";
import { createBlog, type Blog } from "../shared/blog.ts";
import { readText, send, startExample, type RunningExample, type StartOptions } from "../shared/start.ts";

/** Starts the blog. */
export function startBlog(options: StartOptions = {}): Promise<RunningExample> {
  return startExample(options, ({ server, outpost }) => {
    const blog = createBlog(outpost);
    // Outpost answers its own requests; the others come to the site, body unread.
    server.on("request", nodeHandler(outpost, (req, res) => void site(blog, req, res)));
  });
}

async function site(blog: Blog, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { pathname } = new URL(req.url ?? "/", "http://localhost");
  if (req.method === "GET" && pathname === "/") return send(res, 200, "text/html", blog.homePage());
  if (req.method === "GET" && pathname.startsWith("/posts/")) {
    const page = await blog.postPage(decodeURIComponent(pathname.slice("/posts/".length)));
    return page === undefined ? send(res, 404, "text/plain", "no such post") : send(res, 200, "text/html", page);
  }
  if (req.method === "POST" && pathname === "/posts") {
    let input: unknown;
    try {
      input = JSON.parse(await readText(req));
    } catch {
      return send(res, 400, "application/json", JSON.stringify({ error: "send the post as JSON, at most 64 KB" }));
    }
    const result = await blog.addPost(typeof input === "object" && input !== null ? input : {});
    return send(res, result.status, "application/json", JSON.stringify(result.body));
  }
  send(res, 404, "text/plain", "not found");
}

if (import.meta.main) {
  const blog = await startBlog();
  console.log(`blog listening on ${blog.url}`);
}
