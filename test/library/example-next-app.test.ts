/**
 * The Next.js example, its route modules served by a node:http server that
 * routes like Next.js's app router does (running `next` itself would mean a
 * build per test run). The app reads its configuration from the environment,
 * as it would under `next start`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { describeBlogScenario } from "./blog-scenario.ts";

type RouteModule = Record<string, ((request: Request, context: { params: Promise<Record<string, unknown>> }) => Promise<Response>) | undefined>;

describeBlogScenario("next-app", async ({ port, hostname }) => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, hostname, resolve));
  const url = `http://${hostname}:${(server.address() as AddressInfo).port}`;
  Object.assign(process.env, { ORIGIN: url, DATABASE_URL: ":memory:", ALLOW_PRIVATE_ADDRESSES: "1", OUTPOST_LOG_LEVEL: "silent" });

  const app = "../../examples/next-app/app";
  const routes: [RegExp, RouteModule][] = [
    [/^\/$/, await import(`${app}/route.ts`)],
    [/^\/posts$/, await import(`${app}/posts/route.ts`)],
    [/^\/posts\/(?<slug>[^/]+)$/, await import(`${app}/posts/[slug]/route.ts`)],
    [/^\/activitypub\/(?<path>.+)$/, await import(`${app}/activitypub/[...path]/route.ts`)],
    [/^\/\.well-known\/(?<path>.+)$/, await import(`${app}/.well-known/[...path]/route.ts`)],
    [/^\/nodeinfo\/(?<path>.+)$/, await import(`${app}/nodeinfo/[...path]/route.ts`)],
  ];
  server.on(
    "request",
    getRequestListener(async (request) => {
      const { pathname } = new URL(request.url);
      for (const [pattern, module] of routes) {
        const match = pattern.exec(pathname);
        if (match === null) continue;
        const handler = module[request.method];
        if (handler === undefined) return new Response(null, { status: 405 });
        return handler(request, { params: Promise.resolve({ ...match.groups }) });
      }
      return new Response("not found", { status: 404 });
    }),
  );

  const { getOutpost } = await import("../../examples/next-app/lib/outpost.ts");
  const outpost = await getOutpost();
  return {
    url,
    outpost,
    async close() {
      await outpost.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
});
