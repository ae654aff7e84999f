/**
 * A federation context over a fresh store, for tests: SQLite in memory, or a
 * PostgreSQL schema of its own under OUTPOST_TEST_BACKEND=postgres (see
 * test-store.ts). The network is whatever `fetch` the test passes (by
 * default one that fails loudly, so a test never reaches the real network by
 * accident).
 */
import pino from "pino";
import { resolveConfig, type FederationConfig, type FederationContext } from "../../src/federation/context.ts";
import { createLocalUris } from "../../src/protocol/uris.ts";
import type { Store } from "../../src/store/store.ts";
import { openTestStore } from "./test-store.ts";

export interface TestContextOptions {
  readonly origin?: string;
  readonly prefix?: string;
  readonly store?: Store;
  readonly fetch?: typeof globalThis.fetch;
  readonly now?: () => Date;
  readonly config?: Partial<FederationConfig>;
  readonly plugins?: FederationContext["plugins"];
}

export interface TestContext extends FederationContext {
  /** Every queue name passed to `jobsQueued`, in order. */
  readonly queuedNotifications: string[];
}

/** Builds a context for one test; close `ctx.store` when done. */
export async function createTestContext(options: TestContextOptions = {}): Promise<TestContext> {
  const origin = options.origin ?? "https://local.test";
  const config = resolveConfig({ origin, prefix: options.prefix, allowPrivateAddresses: true, ...options.config });
  const store = options.store ?? (await openTestStore());
  const queuedNotifications: string[] = [];
  return {
    store,
    uris: createLocalUris({ origin: config.origin, prefix: config.prefix }),
    config,
    logger: pino({ level: process.env.OUTPOST_TEST_LOG ?? "silent" }),
    now: options.now ?? (() => new Date()),
    fetch:
      options.fetch ??
      (async (input) => {
        throw new Error(`unexpected network request in a test: ${String(input instanceof Request ? input.url : input)}`);
      }),
    plugins: options.plugins ?? [],
    jobsQueued: (queues) => {
      queuedNotifications.push(...queues);
    },
    queuedNotifications,
  };
}
