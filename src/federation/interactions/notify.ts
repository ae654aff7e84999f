/**
 * Telling the host application about an interaction: the onInteraction hook
 * runs inline (a hook that throws is retried on the webhook queue, without
 * failing the inbox job), and a delivery is queued for every webhook the
 * event fires.
 */
import type { FederationContext } from "../context.ts";
import { queueHookRetry, queueWebhooks } from "../webhooks/webhook-job.ts";
import type { InteractionEvent } from "./events.ts";
import { resolveInteractionOptions } from "./options.ts";

/** Parameters of {@link notifyInteraction}. */
export interface NotifyInteractionParams {
  readonly event: InteractionEvent;
}

/** Runs the hook and queues the webhooks for one event. */
export async function notifyInteraction(ctx: FederationContext, params: NotifyInteractionParams): Promise<void> {
  const { event } = params;
  const hook = resolveInteractionOptions({ options: ctx.interactions }).onInteraction;
  if (hook !== undefined) {
    try {
      await hook(event);
    } catch (error) {
      ctx.logger.warn({ err: error, interaction: event.uri, type: event.type }, "onInteraction failed; queued a retry");
      await queueHookRetry(ctx, { event });
    }
  }
  await queueWebhooks(ctx, { event });
}
