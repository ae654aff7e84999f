/**
 * The client's address, for rate limits and logs. Behind a reverse proxy the
 * peer is the proxy, so the first X-Forwarded-For entry is used, but only
 * when the operator said a proxy is there: otherwise any client could claim
 * any address.
 */
import { isIP } from "node:net";
import type { Context } from "hono";
import type { AppEnv } from "./app-env.ts";

/** Parameters of {@link clientAddress}. */
export interface ClientAddressParams {
  readonly c: Context<AppEnv>;
  readonly trustProxy: boolean;
}

/** The best-known client address, or "unknown". */
export function clientAddress(params: ClientAddressParams): string {
  const { c, trustProxy } = params;
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded !== undefined && isIP(forwarded) !== 0) return forwarded;
  }
  const env = c.env as AppEnv["Bindings"] | undefined;
  return env?.remoteAddress ?? env?.incoming?.socket?.remoteAddress ?? "unknown";
}
