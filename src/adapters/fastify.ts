/**
 * Outpost in a Fastify app: `await app.register(fastifyPlugin(outpost))`.
 * It answers from an onRequest hook, before Fastify parses any body, so
 * Outpost reads inbox bodies byte for byte; other requests go on to the
 * app's routes (and content-type parsers) untouched.
 */
import type { FastifyPluginAsync } from "fastify";
import { responseHeaders, toWebRequest, type AdapterOutpost } from "./node-bridge.ts";

/** The plugin; registered at the root it applies to every route (it is not encapsulated). */
export function fastifyPlugin(outpost: AdapterOutpost): FastifyPluginAsync {
  const plugin: FastifyPluginAsync = async (fastify) => {
    fastify.addHook("onRequest", async (request, reply) => {
      const bridged = toWebRequest({ req: request.raw, origin: outpost.ctx.config.origin });
      const response = await outpost.fetch(bridged.request, { remoteAddress: request.raw.socket.remoteAddress });
      if (response === undefined) return;
      reply.code(response.status);
      for (const [name, value] of responseHeaders(response)) {
        // Fastify frames the body itself.
        if (name !== "content-length" && name !== "transfer-encoding") reply.header(name, value);
      }
      const body = request.method === "HEAD" || response.body === null ? undefined : Buffer.from(await response.arrayBuffer());
      return reply.send(body);
    });
  };
  // What fastify-plugin does: hooks apply to the whole app, not only inside the plugin.
  Object.assign(plugin, { [Symbol.for("skip-override")]: true, [Symbol.for("fastify.display-name")]: "outpost" });
  return plugin;
}
