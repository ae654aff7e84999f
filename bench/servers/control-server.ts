/**
 * The small HTTP server that carries a server script's control API (see
 * control-protocol.ts): 127.0.0.1 only, bearer token, bounded JSON bodies.
 */
import { timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { controlBodySchemas } from "./control-protocol.ts";
import type { ControlApi } from "./control-protocol.ts";

/** One handler per route; each gets the parsed body and the query. */
export type ControlHandlers = {
  readonly [R in keyof ControlApi]: (
    body: ControlApi[R]["body"],
    query: URLSearchParams,
  ) => Promise<ControlApi[R]["result"]>;
};

/** Parameters of {@link startControlServer}. */
export interface StartControlServerParams {
  readonly token: string;
  readonly handlers: ControlHandlers;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Starts the control server on an ephemeral port; resolves with the port. */
export function startControlServer(params: StartControlServerParams): Promise<number> {
  const expected = Buffer.from(`Bearer ${params.token}`);
  const server = createServer((request, response) => {
    const answer = (status: number, document: unknown) => {
      const body = JSON.stringify(document);
      response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
    };
    const given = Buffer.from(request.headers.authorization ?? "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      answer(401, { error: "bad control token" });
      return;
    }
    const url = new URL(request.url ?? "/", "http://control");
    const route = `${request.method} ${url.pathname}` as keyof ControlApi;
    const handler = params.handlers[route] as ((body: unknown, query: URLSearchParams) => Promise<unknown>) | undefined;
    if (handler === undefined) {
      answer(404, { error: `no control route ${route}` });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) request.destroy();
      else chunks.push(chunk);
    });
    request.on("end", () => {
      let raw: unknown = null;
      try {
        if (chunks.length > 0) raw = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        answer(400, { error: "body is not JSON" });
        return;
      }
      const body = controlBodySchemas[route].safeParse(raw);
      if (!body.success) {
        answer(400, { error: `invalid body for ${route}: ${body.error.issues[0]?.message ?? "unknown"}` });
        return;
      }
      handler(body.data, url.searchParams).then(
        (result) => answer(200, result),
        (error: unknown) => answer(500, { error: error instanceof Error ? error.message : String(error) }),
      );
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}
