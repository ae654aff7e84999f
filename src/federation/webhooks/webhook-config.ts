/**
 * Webhooks as a host application configures them: where to POST, which
 * events, the shared secret that signs each delivery, and the body format.
 * Configuration is checked once, where it enters (createOutpost, the CLI),
 * so a typo in an event name fails at start rather than silently never firing.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { INTERACTION_EVENT_TYPES, type InteractionEventType } from "../interactions/events.ts";

/** An event a webhook can subscribe to. */
export type WebhookEventType = InteractionEventType;

/** How the body is shaped: Outpost's JSON, or a Slack-compatible incoming-webhook message. */
export type WebhookFormat = "json" | "slack";

/** One configured webhook. */
export interface WebhookConfig {
  /** Where deliveries are POSTed (http or https). */
  readonly url: string;
  readonly events: readonly WebhookEventType[];
  /** Signs every delivery (HMAC-SHA256); the receiver checks it with the same secret. At least 16 characters. */
  readonly secret: string;
  /** Default "json". */
  readonly format?: WebhookFormat;
  /** Names the webhook in logs and jobs; default: derived from the URL. Keep it when the URL changes to keep queued deliveries. */
  readonly name?: string;
  /**
   * Also fire for followers-only and direct interactions. Off by default: a
   * webhook usually ends in a shared channel, and a direct message's content
   * does not belong there.
   */
  readonly includePrivate?: boolean;
  /** Lets this webhook reach loopback and private addresses (a bridge on the same host); default: the federation setting. */
  readonly allowPrivateAddresses?: boolean;
}

/** Shortest secret accepted: anything shorter is guessable by brute force over the network. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/** The schema a webhook's configuration must satisfy. */
export const webhookConfigSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  events: z.array(z.enum(INTERACTION_EVENT_TYPES as [InteractionEventType, ...InteractionEventType[]])).min(1),
  secret: z.string().min(MIN_WEBHOOK_SECRET_LENGTH),
  format: z.enum(["json", "slack"]).optional(),
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).optional(),
  includePrivate: z.boolean().optional(),
  allowPrivateAddresses: z.boolean().optional(),
});

/** Parameters of {@link parseWebhookConfigs}. */
export interface ParseWebhookConfigsParams {
  readonly input: unknown;
}

/** The webhooks, or why the configuration was refused. */
export type ParseWebhookConfigsResult =
  | { readonly ok: true; readonly webhooks: readonly WebhookConfig[] }
  | { readonly ok: false; readonly reason: "invalidWebhooks" | "duplicateName"; readonly message: string };

/** Checks a list of webhook configurations (from options or a file). */
export function parseWebhookConfigs(params: ParseWebhookConfigsParams): ParseWebhookConfigsResult {
  const parsed = z.array(webhookConfigSchema).safeParse(params.input);
  if (!parsed.success) {
    return { ok: false, reason: "invalidWebhooks", message: z.prettifyError(parsed.error).replace(/\s+/g, " ") };
  }
  const webhooks: WebhookConfig[] = parsed.data;
  const seen = new Set<string>();
  for (const webhook of webhooks) {
    const id = webhookId({ webhook });
    if (seen.has(id)) return { ok: false, reason: "duplicateName", message: `two webhooks are both named ${id}` };
    seen.add(id);
  }
  return { ok: true, webhooks };
}

/** Parameters of {@link webhookId}. */
export interface WebhookIdParams {
  readonly webhook: WebhookConfig;
}

/**
 * The name a webhook's jobs refer to it by: its `name`, else a digest of its
 * URL. Jobs carry this and not the URL or secret, so a queued delivery always
 * uses the current configuration and no secret is written to the job table.
 */
export function webhookId(params: WebhookIdParams): string {
  const { webhook } = params;
  if (webhook.name !== undefined) return webhook.name;
  return `url-${createHash("sha256").update(webhook.url).digest("hex").slice(0, 16)}`;
}
