/**
 * What account functions receive: the account store, its settings, the
 * clock, a logger and the failed-attempt counters. It stands beside the
 * {@link FederationContext} rather than inside it, since a host application
 * may federate without any accounts.
 */
import type { Logger } from "pino";
import type { AccountStore } from "../../store/account-store.ts";
import { createAttemptLimiter, DEFAULT_ATTEMPT_LIMITS, type AttemptLimiter, type AttemptLimits } from "./attempt-limiter.ts";

/** Settings of accounts and OAuth; every field has a default. */
export interface AccountConfig {
  /** Lifetime of access tokens issued through OAuth. */
  readonly accessTokenTtlMs: number;
  /** Lifetime of refresh tokens; each refresh issues a new one. */
  readonly refreshTokenTtlMs: number;
  /** Lifetime of authorization codes. */
  readonly authorizationCodeTtlMs: number;
  /** Whether the resource owner password grant is offered (off: it teaches apps to ask for passwords). */
  readonly passwordGrant: boolean;
  readonly minPasswordLength: number;
  /** How many actors a user who is not an admin may create. */
  readonly maxActorsPerUser: number;
  /** How long an idempotency key is remembered. */
  readonly idempotencyTtlMs: number;
  readonly attemptLimits: AttemptLimits;
}

/** The defaults of {@link AccountConfig}. */
export const DEFAULT_ACCOUNT_CONFIG: AccountConfig = {
  accessTokenTtlMs: 24 * 3600 * 1000,
  refreshTokenTtlMs: 90 * 24 * 3600 * 1000,
  authorizationCodeTtlMs: 10 * 60 * 1000,
  passwordGrant: false,
  minPasswordLength: 8,
  maxActorsPerUser: 20,
  idempotencyTtlMs: 24 * 3600 * 1000,
  attemptLimits: DEFAULT_ATTEMPT_LIMITS,
};

/** The context handed to account and OAuth functions. */
export interface AccountContext {
  readonly accounts: AccountStore;
  readonly config: AccountConfig;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly limiter: AttemptLimiter;
}

/** Parameters of {@link createAccountContext}. */
export interface CreateAccountContextParams {
  readonly accounts: AccountStore;
  readonly logger: Logger;
  readonly now?: () => Date;
  readonly config?: Partial<AccountConfig>;
}

/** Builds a context with defaults filled in and fresh attempt counters. */
export function createAccountContext(params: CreateAccountContextParams): AccountContext {
  const config: AccountConfig = { ...DEFAULT_ACCOUNT_CONFIG, ...params.config };
  return {
    accounts: params.accounts,
    config,
    now: params.now ?? (() => new Date()),
    logger: params.logger,
    limiter: createAttemptLimiter({ limits: config.attemptLimits }),
  };
}
