/**
 * Starting an example: the port is bound before Outpost is created, since
 * Outpost must know its public origin; then the blog's Outpost is created
 * with the blog actor, and the framework's handler is attached.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createOutpost, type Outpost, type OutpostOptions } from "outpost";

/** How to start an example; everything has a default. */
export interface StartOptions {
  /** Default PORT or 3000; 0 picks a free port. */
  readonly port?: number;
  readonly hostname?: string;
  /** The public origin; default ORIGIN, else the address listened on. */
  readonly origin?: string;
  /** Anything else for createOutpost (tests use it). */
  readonly outpost?: Partial<OutpostOptions>;
}

/** A running example. */
export interface RunningExample {
  readonly url: string;
  readonly outpost: Outpost;
  close(): Promise<void>;
}

/** Binds, creates the Outpost, then lets `attach` mount the app on the server. */
export async function startExample(
  options: StartOptions,
  attach: (params: { server: Server; outpost: Outpost }) => Promise<void> | void,
): Promise<RunningExample> {
  const server = createServer();
  const hostname = options.hostname ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(options.port ?? Number(process.env.PORT ?? 3000), hostname, resolve));
  const url = `http://${hostname}:${(server.address() as AddressInfo).port}`;
  const origin = options.origin ?? process.env.ORIGIN ?? url;
  const outpost = await createOutpost({
    origin,
    prefix: "/activitypub",
    dataDir: process.env.DATA_DIR ?? "./data",
    actor: {
      username: "blog",
      name: "My blog",
      summary: "<p>Posts from my blog.</p>",
      fields: [{ name: "Website", value: `${origin}/` }],
    },
    ...options.outpost,
  });
  await attach({ server, outpost });
  await outpost.start();
  return {
    url,
    outpost,
    async close() {
      await outpost.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Reads a request body of at most `maxBytes` as text (for the examples on plain node:http). */
export async function readText(req: IncomingMessage, maxBytes = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new Error(`the body is larger than ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Answers with a body and a content type. */
export function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type }).end(body);
}
