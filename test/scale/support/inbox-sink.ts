/**
 * Many remote inboxes on one loopback server, standing in for the followers
 * of a busy account: `/inbox/<n>` for any n. Every POST's signature is
 * verified against the keys the sink was given; a request that does not
 * verify is answered 401 and counted apart. Like every ActivityPub server,
 * the sink processes an activity id once per inbox: a redelivery is answered
 * 202 and counted as a duplicate, so tests can tell "every inbox got it
 * exactly once" from "how many requests were sent".
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyRequest } from "../../../src/crypto/verify-request.ts";

/** Parameters of {@link startInboxSink}. */
export interface StartInboxSinkParams {
  /** Public keys by key id, as the senders' actor documents would publish them. */
  readonly keys: ReadonlyMap<string, string>;
  /** Delays each answer, to stand for a remote server's own work (and keep requests in flight). */
  readonly answerDelayMs?: number;
  /** Called for each request that verified, after it was counted. */
  readonly onRequest?: (counts: SinkCounts) => void;
}

/** What the sink saw so far. */
export interface SinkCounts {
  /** POSTs whose signature verified, redeliveries included. */
  readonly requests: number;
  /** Distinct (inbox, activity id) pairs processed. */
  readonly processed: number;
  /** Verified POSTs of an activity the inbox already had. */
  readonly duplicates: number;
  /** POSTs refused for a missing or bad signature. */
  readonly refused: number;
}

/** A running sink. */
export interface InboxSink {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** The inbox URL of follower n. */
  inboxUrl(n: number): string;
  counts(): SinkCounts;
  /** How many distinct activities inbox n processed. */
  processedBy(n: number): number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<Uint8Array | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).byteLength;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function headersOf(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

/** Starts a sink on a free loopback port. */
export async function startInboxSink(params: StartInboxSinkParams): Promise<InboxSink> {
  const processed = new Map<number, Set<string>>();
  let requests = 0;
  let duplicates = 0;
  let refused = 0;
  let distinct = 0;
  const counts = (): SinkCounts => ({ requests, processed: distinct, duplicates, refused });

  const server: Server = createServer((request, response) => {
    const match = /^\/inbox\/(\d+)$/.exec(request.url ?? "");
    if (request.method !== "POST" || match === null) {
      response.writeHead(404).end();
      return;
    }
    const inbox = Number(match[1]);
    // A sender killed mid-request leaves a broken socket; that is part of what is tested, not an error.
    response.on("error", () => {});
    request.on("error", () => {});
    void (async () => {
      const body = await readBody(request);
      if (body === null) {
        response.writeHead(413).end();
        return;
      }
      const verified = await verifyRequest({
        method: "POST",
        url: `${origin}${request.url ?? ""}`,
        headers: headersOf(request),
        body,
        resolveKey: async (keyId) => {
          const publicKeyPem = params.keys.get(keyId);
          return publicKeyPem === undefined ? null : { publicKeyPem, ownerUri: keyId.replace(/#.*$/, "") };
        },
      });
      if (!verified.ok) {
        refused += 1;
        response.writeHead(401).end();
        return;
      }
      const id = (JSON.parse(Buffer.from(body).toString("utf8")) as { id?: unknown }).id;
      requests += 1;
      let seen = processed.get(inbox);
      if (seen === undefined) {
        seen = new Set();
        processed.set(inbox, seen);
      }
      if (typeof id === "string" && !seen.has(id)) {
        seen.add(id);
        distinct += 1;
      } else {
        duplicates += 1;
      }
      params.onRequest?.(counts());
      if (params.answerDelayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, params.answerDelayMs));
      if (!response.destroyed) response.writeHead(202).end();
    })().catch(() => {
      if (!response.headersSent && !response.destroyed) response.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    inboxUrl: (n) => `${origin}/inbox/${n}`,
    counts,
    processedBy: (n) => processed.get(n)?.size ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
