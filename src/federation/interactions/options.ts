/**
 * What a host application decides about interactions: which are kept for
 * display, who is told about them (the `onInteraction` hook, webhooks) and
 * how quote requests are answered. It rides on the federation context, so
 * every inbox handler sees the same settings.
 */
import type { QuoteOptions, ResolvedQuoteOptions } from "../quotes/quote-options.ts";
import { resolveQuoteOptions } from "../quotes/quote-options.ts";
import type { WebhookConfig } from "../webhooks/webhook-config.ts";
import type { InteractionEvent } from "./events.ts";

/** Interaction settings; every field is optional. */
export interface InteractionOptions {
  /**
   * Keep followers-only and direct interactions too (they are never rendered
   * publicly). Default false: only public and unlisted ones are kept; the hook
   * still sees the others.
   */
  readonly storePrivateInteractions?: boolean;
  /**
   * Keep only interactions with local objects and mentions of local actors.
   * Default true; false also keeps replies, quotes and boosts of remote
   * objects by accounts a local actor follows.
   */
  readonly onlyLocalTargets?: boolean;
  /**
   * Sees every interaction, private ones included (to e-mail the owner a
   * direct message, say). Runs in the inbox job after the interaction was
   * recorded; a hook that throws is retried on its own with backoff.
   */
  readonly onInteraction?: (event: InteractionEvent) => void | Promise<void>;
  /** HTTP callbacks; see webhooks/webhook-config.ts. */
  readonly webhooks?: readonly WebhookConfig[];
  readonly quotes?: QuoteOptions;
}

/** {@link InteractionOptions} with the defaults filled in. */
export interface ResolvedInteractionOptions {
  readonly storePrivateInteractions: boolean;
  readonly onlyLocalTargets: boolean;
  readonly onInteraction: ((event: InteractionEvent) => void | Promise<void>) | undefined;
  readonly webhooks: readonly WebhookConfig[];
  readonly quotes: ResolvedQuoteOptions;
}

/** Parameters of {@link resolveInteractionOptions}. */
export interface ResolveInteractionOptionsParams {
  readonly options?: InteractionOptions;
}

/** Fills in the defaults. */
export function resolveInteractionOptions(params: ResolveInteractionOptionsParams): ResolvedInteractionOptions {
  const options = params.options ?? {};
  return {
    storePrivateInteractions: options.storePrivateInteractions ?? false,
    onlyLocalTargets: options.onlyLocalTargets ?? true,
    onInteraction: options.onInteraction,
    webhooks: options.webhooks ?? [],
    quotes: resolveQuoteOptions(options.quotes === undefined ? {} : { options: options.quotes }),
  };
}
