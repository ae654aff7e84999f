import { describeAdapterContract } from "./adapter.test-support.ts";
import { nodeHandler } from "./node.ts";

describeAdapterContract("node:http", ({ server, outpost }) => {
  server.on(
    "request",
    nodeHandler(outpost, async (req, res) => {
      if (req.method === "GET" && req.url === "/") return res.end("home");
      if (req.method === "GET" && req.url?.startsWith("/posts/")) return res.end("<html>post</html>");
      if (req.method === "POST" && req.url === "/comments") {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        res.setHeader("content-type", "application/json");
        return res.end(Buffer.concat(chunks));
      }
      res.statusCode = 404;
      res.end("not here");
    }),
  );
});
