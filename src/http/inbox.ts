/**
 * Inbox routes: deliveries from other servers. The route only reads the body
 * (bounded, so an oversized delivery costs at most the cap) and hands it to
 * `receiveActivity`, which verifies and queues it; processing happens later
 * in a worker.
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { FederationContext } from "../federation/context.ts";
import { receiveActivity } from "../federation/inbox/receive.ts";
import type { AppEnv } from "./app-env.ts";
import { clientAddress } from "./client-address.ts";
import { errorResponse } from "./errors.ts";
import { publicUrl } from "./public-url.ts";
import { readBoundedBody } from "./read-body.ts";

/** Parameters of {@link registerInboxRoutes}. */
export interface RegisterInboxRoutesParams {
  readonly app: Hono<AppEnv>;
  readonly ctx: FederationContext;
  readonly trustProxy: boolean;
  /** Runs before each POST (rate limiting); none when absent. */
  readonly limiter?: MiddlewareHandler<AppEnv>;
}

/** Adds the personal, shared and instance actor inboxes. */
export function registerInboxRoutes(params: RegisterInboxRoutesParams): void {
  const { app, ctx, trustProxy, limiter } = params;
  const prefix = ctx.config.prefix;

  const receive = async (c: Context<AppEnv>, recipientUsername: string | undefined): Promise<Response> => {
    const read = await readBoundedBody({ request: c.req.raw, maxBytes: ctx.config.maxInboxBytes });
    if (!read.ok) {
      return errorResponse({ c, status: read.reason === "tooLarge" ? 413 : 400, message: read.message });
    }
    const outcome = await receiveActivity(ctx, {
      method: c.req.method,
      // The signature covers the URL the sender addressed, not the one a proxy forwarded to.
      url: publicUrl({ ctx, request: c.req.raw }),
      headers: c.req.raw.headers,
      body: read.body,
      recipientUsername,
      remoteAddress: clientAddress({ c, trustProxy }),
    });
    if (!outcome.ok) {
      c.get("logger").debug({ reason: outcome.reason, status: outcome.status }, outcome.message);
      return errorResponse({ c, status: outcome.status, message: outcome.message });
    }
    return c.body(null, 202);
  };

  const inboxes: readonly { path: string; username: (c: Context<AppEnv>) => string | undefined }[] = [
    { path: `${prefix}/users/:username/inbox`, username: (c) => c.req.param("username") },
    { path: `${prefix}/inbox`, username: () => undefined },
    // The instance actor is not a user: what it receives goes through the shared inbox path.
    { path: `${prefix}/actor/inbox`, username: () => undefined },
  ];
  for (const inbox of inboxes) {
    if (limiter !== undefined) app.post(inbox.path, limiter);
    app.post(inbox.path, (c) => receive(c, inbox.username(c)));
    app.get(inbox.path, (c) =>
      errorResponse({
        c,
        status: 401,
        message: "reading an inbox requires its owner's access token",
        headers: { "WWW-Authenticate": 'Bearer realm="outpost"' },
      }),
    );
  }
}
