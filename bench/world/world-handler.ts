/**
 * The remote world's HTTP side: actor documents, WebFinger and empty
 * collections for any world actor, and inboxes that verify every delivery's
 * signature (and that the signer is the activity's actor) before counting it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { verifyRequest } from "../../src/crypto/verify-request.ts";
import { actorDocument, emptyCollection, webFingerDocument } from "./actor-document.ts";
import type { Arrivals } from "./arrivals.ts";
import type { FollowAnswers } from "./follow-answers.ts";
import { hasSharedInbox, parseActorName } from "./layout.ts";
import type { TargetKeyResolver } from "./target-keys.ts";

/** Parameters of {@link createWorldHandler}. */
export interface CreateWorldHandlerParams {
  readonly port: number;
  readonly publicKeyOf: (name: string) => string;
  readonly keys: TargetKeyResolver;
  readonly arrivals: Arrivals;
  readonly answers: FollowAnswers;
}

/** The world's request handler and its counters. */
export interface WorldHandler {
  handle(request: IncomingMessage, response: ServerResponse): void;
  readonly counts: () => { verified: number; rejected: number; rejectReasons: Record<string, number> };
}

const MAX_BODY_BYTES = 1024 * 1024;
const ACTIVITY_JSON = "application/activity+json; charset=utf-8";
const INBOX_PATH = /^\/users\/([^/]+)\/inbox$/;
const ACTOR_PATH = /^\/users\/([^/]+)(\/(followers|following|outbox|collections\/featured))?$/;

/** Builds the handler. */
export function createWorldHandler(params: CreateWorldHandlerParams): WorldHandler {
  const { port, arrivals, answers, keys } = params;
  let verified = 0;
  let rejected = 0;
  const rejectReasons: Record<string, number> = {};

  const reject = (response: ServerResponse, status: number, reason: string) => {
    rejected++;
    rejectReasons[reason] = (rejectReasons[reason] ?? 0) + 1;
    sendJson(response, status, { error: reason });
  };

  const serveGet = (response: ServerResponse, origin: string, url: URL) => {
    if (url.pathname === "/.well-known/webfinger") {
      const resource = url.searchParams.get("resource") ?? "";
      const match = /^acct:([^@]+)@(.+)$/.exec(resource);
      if (match === null || match[2] !== new URL(origin).host || !parseActorName({ name: match[1]! }).ok) {
        sendJson(response, 404, { error: "not found" });
        return;
      }
      sendJson(response, 200, webFingerDocument({ origin, name: match[1]! }), "application/jrd+json; charset=utf-8");
      return;
    }
    const match = ACTOR_PATH.exec(url.pathname);
    const parsed = match === null ? null : parseActorName({ name: match[1]! });
    if (match === null || parsed === null || !parsed.ok) {
      sendJson(response, 404, { error: "not found" });
      return;
    }
    if (match[2] !== undefined) {
      sendJson(response, 200, emptyCollection({ id: `${origin}${url.pathname}` }), ACTIVITY_JSON);
      return;
    }
    const document = actorDocument({
      origin,
      name: parsed.name,
      publicKeyPem: params.publicKeyOf(parsed.name),
      sharedInbox: hasSharedInbox({ kind: parsed.kind }),
    });
    sendJson(response, 200, document, ACTIVITY_JSON);
  };

  const serveInbox = async (request: IncomingMessage, response: ServerResponse, origin: string, url: URL) => {
    const personal = INBOX_PATH.exec(url.pathname);
    if (url.pathname !== "/inbox" && personal === null) {
      sendJson(response, 404, { error: "not found" });
      return;
    }
    const body = await readBody(request);
    if (body === null) {
      reject(response, 413, "bodyTooLarge");
      return;
    }
    const result = await verifyRequest({
      method: "POST",
      url: `${origin}${request.url ?? "/"}`,
      headers: headersOf(request),
      body,
      resolveKey: (keyId, options) => keys.resolve(keyId, options),
    });
    if (!result.ok) {
      reject(response, 401, result.reason);
      return;
    }
    let activity: Record<string, unknown>;
    try {
      activity = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    } catch {
      reject(response, 400, "malformedJson");
      return;
    }
    if (idOf(activity.actor) !== result.ownerUri) {
      reject(response, 401, "signerIsNotActor");
      return;
    }
    verified++;
    response.writeHead(202).end();
    recordActivity(activity, origin, personal?.[1] ?? null);
  };

  const recordActivity = (activity: Record<string, unknown>, origin: string, inboxOwner: string | null) => {
    switch (activity.type) {
      case "Create": {
        const ids = [idOf(activity), idOf(activity.object)].filter((id): id is string => id !== null);
        arrivals.recordCreate({ ids, origin });
        break;
      }
      case "Accept": {
        const actor = idOf(activity.actor);
        const followId = idOf(activity.object);
        if (actor !== null && followId !== null) arrivals.recordAccept({ actor, followId });
        break;
      }
      case "Follow": {
        const followee = idOf(activity.object);
        const owner = inboxOwner === null ? null : `${origin}/users/${inboxOwner}`;
        // Only a Follow of an actor of this origin is answered, as a real server would.
        if (followee !== null && followee.startsWith(`${origin}/users/`) && (owner === null || owner === followee)) {
          answers.answer({ follow: activity, followee });
        }
        break;
      }
      default:
        break;
    }
  };

  return {
    handle(request, response) {
      const origin = `http://${request.socket.localAddress ?? "127.0.0.1"}:${port}`;
      const url = new URL(request.url ?? "/", origin);
      let work: Promise<void> | void;
      if (request.method === "GET" || request.method === "HEAD") work = serveGet(response, origin, url);
      else if (request.method === "POST") work = serveInbox(request, response, origin, url);
      else work = sendJson(response, 405, { error: "method not allowed" });
      void Promise.resolve(work).catch((error: unknown) => {
        if (!response.headersSent) reject(response, 500, error instanceof Error ? error.message.slice(0, 80) : "error");
        else response.destroy();
      });
    },
    counts: () => ({ verified, rejected, rejectReasons: { ...rejectReasons } }),
  };
}

function idOf(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && typeof (value as { id?: unknown }).id === "string") {
    return (value as { id: string }).id;
  }
  return null;
}

function headersOf(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (let i = 0; i < request.rawHeaders.length; i += 2) headers.append(request.rawHeaders[i]!, request.rawHeaders[i + 1]!);
  return headers;
}

function readBody(request: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on("end", () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function sendJson(response: ServerResponse, status: number, document: unknown, type = "application/json; charset=utf-8"): void {
  const body = JSON.stringify(document);
  response.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) }).end(body);
}
