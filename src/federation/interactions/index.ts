/**
 * Interactions with local objects and actors: what is kept, how it is shown
 * (renderInteractions) and how the host application hears of it.
 */
export { INTERACTION_EVENT_TYPES, type InteractionAction, type InteractionActor, type InteractionEvent, type InteractionEventType } from "./events.ts";
export { resolveInteractionOptions, type InteractionOptions, type ResolvedInteractionOptions } from "./options.ts";
export { loadInteractionsView, renderInteractions, DEFAULT_REPLY_LIMIT, MAX_REPLY_LIMIT, type RenderInteractionsParams } from "./render.ts";
export {
  DEFAULT_LABELS,
  escapeHtml,
  INTERACTIONS_CSS,
  renderInteractionsHtml,
  type InteractionLabels,
  type InteractionsTemplate,
  type RenderInteractionsHtmlParams,
  type TemplateHelpers,
} from "./interactions-html.ts";
export { buildInteractionsView, type InteractionCounts, type InteractionsView, type ReplyAuthorView, type ReplyView } from "./interactions-view.ts";
