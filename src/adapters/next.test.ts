import { getRequestListener } from "@hono/node-server";
import { describeAdapterContract } from "./adapter.test-support.ts";
import { nextRouteHandlers } from "./next.ts";

// Next.js calls route handlers with the request; here a node:http server stands in for its router:
// Outpost's catch-all routes get the handlers, everything else is the site's.
describeAdapterContract("Next.js route handlers", ({ server, outpost }) => {
  const handlers = nextRouteHandlers(() => outpost);
  const site = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    if (pathname === "/") return new Response("home");
    if (pathname.startsWith("/posts/")) {
      // A page route: the app's own code asks Outpost for the ActivityStreams version first.
      return (await outpost.objectResponse(request)) ?? new Response("<html>post</html>", { headers: { "content-type": "text/html" } });
    }
    if (pathname === "/comments" && request.method === "POST") return Response.json(await request.json());
    return new Response("not here", { status: 404 });
  };
  const outpostRoutes = ["/activitypub/", "/.well-known/", "/nodeinfo/", "/@"];
  server.on(
    "request",
    getRequestListener(async (request) => {
      const { pathname } = new URL(request.url);
      if (!outpostRoutes.some((route) => pathname.startsWith(route))) return site(request);
      const handler = request.method === "POST" ? handlers.POST : request.method === "HEAD" ? handlers.HEAD : handlers.GET;
      return handler(request);
    }),
  );
});
