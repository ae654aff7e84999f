/**
 * Shared setup for the account tests: a federation test context over a fresh
 * in-memory SQL store, and an account context over the same database with a
 * clock the test can move.
 */
import pino from "pino";
import { sqlAccountStoreOf } from "../../store/sql-account-store.ts";
import { createTestContext, type TestContext, type TestContextOptions } from "../../../test/support/federation-context.ts";
import { createAccountContext, type AccountConfig, type AccountContext } from "./account-context.ts";

/** A moveable clock. */
export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

/** Creates a clock starting at a fixed instant. */
export function createTestClock(start = Date.parse("2025-03-01T12:00:00.000Z")): TestClock {
  let time = start;
  return { now: () => new Date(time), advance: (ms) => void (time += ms) };
}

/** Both contexts of one test, over one store. */
export interface AccountTestContexts {
  readonly ctx: TestContext;
  readonly ac: AccountContext;
  readonly clock: TestClock;
  close(): Promise<void>;
}

/** Parameters of {@link createAccountTestContexts}. */
export interface AccountTestContextsParams {
  readonly context?: TestContextOptions;
  readonly config?: Partial<AccountConfig>;
}

/** Opens a fresh store with both contexts; call `close` when done. */
export async function createAccountTestContexts(params: AccountTestContextsParams = {}): Promise<AccountTestContexts> {
  const clock = createTestClock();
  const ctx = await createTestContext({ now: clock.now, ...params.context });
  const accounts = sqlAccountStoreOf(ctx.store);
  if (accounts === null) throw new Error("the test store has no account tables");
  const ac = createAccountContext({
    accounts,
    logger: pino({ level: process.env.OUTPOST_TEST_LOG ?? "silent" }),
    now: () => ctx.now(),
    config: params.config,
  });
  return { ctx, ac, clock, close: () => ctx.store.close() };
}
