/** Webhooks (HTTP callbacks on interactions) and posting from chat. */
export { handleWebhookJob, queueWebhooks, WEBHOOK_QUEUE, webhooksFor, type WebhookJobPayload } from "./webhook-job.ts";
export {
  MIN_WEBHOOK_SECRET_LENGTH,
  parseWebhookConfigs,
  webhookConfigSchema,
  webhookId,
  type ParseWebhookConfigsResult,
  type WebhookConfig,
  type WebhookEventType,
  type WebhookFormat,
} from "./webhook-config.ts";
export {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signWebhookPayload,
  verifyWebhookSignature,
  type VerifyWebhookSignatureResult,
} from "./webhook-signature.ts";
export { escapeSlackText, slackMessage, type SlackMessage } from "./slack-message.ts";
export { authenticateChatRequest, verifySlackSignature, type ChatAuthResult } from "./chat-auth.ts";
export { parseChatCommand, postFromChat, type ChatCommand, type ChatResponse, type PostFromChatResult } from "./chat-post.ts";
