/**
 * What every federation function receives: the store, the local URI scheme,
 * configuration and a logger. Functions in this layer take the context as
 * their first argument instead of living on a service object, so each stays a
 * plain, separately testable function.
 */
import type { Logger } from "pino";
import type { LocalUris } from "../protocol/uris.ts";
import type { Store } from "../store/store.ts";
import type { InboxPlugin } from "./inbox/plugins.ts";
import type { InteractionOptions } from "./interactions/options.ts";

/** Settings that shape federation behaviour. Every field has a default in {@link resolveConfig}. */
export interface FederationConfig {
  /** Public origin, e.g. `https://example.com` (no trailing slash). */
  readonly origin: string;
  /** Path under which ActivityPub routes live, "" or e.g. "/activitypub". */
  readonly prefix: string;
  /** Lets remote fetches and deliveries reach loopback, private and link-local addresses (tests, LANs). */
  readonly allowPrivateAddresses: boolean;
  /** Accepted clock skew of signed requests. */
  readonly signatureMaxPastSeconds: number;
  readonly signatureMaxFutureSeconds: number;
  /** Largest inbox body accepted, in bytes. */
  readonly maxInboxBytes: number;
  /** Remote fetch limits. */
  readonly fetchTimeoutMs: number;
  readonly fetchMaxBytes: number;
  readonly fetchMaxRedirects: number;
  /** Delivery limits. */
  readonly deliveryTimeoutMs: number;
  readonly deliveryConcurrency: number;
  /** How long deliveries are retried before they are given up. */
  readonly deliveryMaxAgeMs: number;
  /** A cached remote actor older than this is fetched again when it is needed. */
  readonly actorStaleAfterMs: number;
  readonly userAgent: string;
  readonly software: { readonly name: string; readonly version: string; readonly repository?: string };
}

/** The context handed to federation functions. */
export interface FederationContext {
  readonly store: Store;
  readonly uris: LocalUris;
  readonly config: FederationConfig;
  readonly logger: Logger;
  /** The clock; tests replace it. */
  readonly now: () => Date;
  /**
   * The network. Every remote request goes through the safe fetch wrapper,
   * which uses this underneath; with `platformFetch` (what an Outpost gets
   * unless given a fetch) it sends through undici's request API instead.
   */
  readonly fetch: typeof globalThis.fetch;
  /** Handlers a host application registered to run after Outpost's own inbox processing. */
  readonly plugins: readonly InboxPlugin[];
  /**
   * Called after jobs were durably queued (outside the transaction), so an
   * in-process worker can start on them at once instead of at its next poll.
   */
  readonly jobsQueued: (queues: readonly string[]) => void;
  /** What is kept of replies, likes, boosts, mentions and quotes, and who is told; defaults when absent. */
  readonly interactions?: InteractionOptions;
  /**
   * Extra `endpoints` of a local actor's document (OAuth, media upload,
   * proxy) when the features behind them are available on this server.
   */
  readonly actorEndpoints?: (username: string) => Record<string, string>;
}

const DEFAULTS = {
  prefix: "",
  allowPrivateAddresses: false,
  signatureMaxPastSeconds: 3600,
  signatureMaxFutureSeconds: 300,
  maxInboxBytes: 1024 * 1024,
  fetchTimeoutMs: 10_000,
  fetchMaxBytes: 2 * 1024 * 1024,
  fetchMaxRedirects: 3,
  deliveryTimeoutMs: 15_000,
  deliveryConcurrency: 32,
  deliveryMaxAgeMs: 4 * 24 * 3600 * 1000,
  actorStaleAfterMs: 24 * 3600 * 1000,
  software: { name: "outpost", version: "0.1.0" },
} as const;

/** Fills in defaults and normalizes the origin and prefix. */
export function resolveConfig(config: Partial<FederationConfig> & { origin: string }): FederationConfig {
  const origin = new URL(config.origin).origin;
  const prefix = (config.prefix ?? DEFAULTS.prefix).replace(/\/+$/, "");
  if (prefix !== "" && !prefix.startsWith("/")) {
    throw new Error(`prefix must start with "/": ${JSON.stringify(config.prefix)}`);
  }
  const software = config.software ?? DEFAULTS.software;
  return {
    ...DEFAULTS,
    ...config,
    origin,
    prefix,
    software,
    userAgent: config.userAgent ?? `${software.name}/${software.version} (+${origin}/)`,
  };
}
