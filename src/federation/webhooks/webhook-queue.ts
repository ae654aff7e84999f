/**
 * The webhook queue's name, apart from the job module so that a worker can
 * route webhook jobs before that module (and what it imports) is loaded.
 */

/** Queue name of webhook deliveries and hook retries. */
export const WEBHOOK_QUEUE = "webhook";
