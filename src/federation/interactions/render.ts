/**
 * renderInteractions: the interactions block of one local object, ready to
 * embed under the post on a site. Only public and unlisted interactions are
 * shown, whatever is stored; a post that is itself not public shows none.
 */
import type { ActorRecord, InteractionRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { renderInteractionsHtml, type InteractionLabels, type InteractionsTemplate } from "./interactions-html.ts";
import { buildInteractionsView, type InteractionCounts, type InteractionsView } from "./interactions-view.ts";
import { DISPLAYED_VISIBILITIES } from "./storage-policy.ts";

/** Most replies listed by default. */
export const DEFAULT_REPLY_LIMIT = 50;
/** Most replies listed whatever is asked, so one call stays one bounded query. */
export const MAX_REPLY_LIMIT = 200;

/** Parameters of {@link loadInteractionsView} and {@link renderInteractions}. */
export interface RenderInteractionsParams {
  /** The local object's id (what createPost returned as objectUri). */
  readonly targetUrl: string;
  readonly template?: InteractionsTemplate;
  readonly labels?: Partial<InteractionLabels>;
  /** Replies listed; default 50, at most 200. */
  readonly limit?: number;
  /** "oldest" (default) lists the first replies in the order they came; "newest" the latest, newest first. */
  readonly order?: "oldest" | "newest";
  /** Put the stylesheet inside the block; default true. */
  readonly includeStyles?: boolean;
}

const NO_COUNTS: InteractionCounts = { replies: 0, likes: 0, boosts: 0, quotes: 0 };

/** The view model of an object's interactions, for a template of the host's own or a JSON API. */
export async function loadInteractionsView(ctx: FederationContext, params: RenderInteractionsParams): Promise<InteractionsView> {
  const targetUri = params.targetUrl;
  const empty: InteractionsView = { targetUri, counts: NO_COUNTS, replies: [], hasMoreReplies: false };
  const target = await ctx.store.objects.get(targetUri);
  if (target !== null && (target.deletedAt !== null || !DISPLAYED_VISIBILITIES.includes(target.visibility))) return empty;

  const visibilities = DISPLAYED_VISIBILITIES;
  const count = (kind: InteractionRecord["kind"]) => ctx.store.interactions.countForTarget(targetUri, kind, visibilities);
  const [replies, likes, boosts, quotes] = await Promise.all([count("reply"), count("like"), count("boost"), count("quote")]);
  const limit = Math.min(Math.max(1, Math.floor(params.limit ?? DEFAULT_REPLY_LIMIT)), MAX_REPLY_LIMIT);
  const oldestFirst = (params.order ?? "oldest") === "oldest";
  const page = await ctx.store.interactions.listForTarget(
    targetUri,
    { visibilities, kinds: ["reply"] },
    oldestFirst ? { limit, after: "" } : { limit },
  );
  const records = oldestFirst ? [...page.items].reverse() : page.items;

  const authorUri = target?.attributedTo ?? null;
  const actors = new Map<string, ActorRecord>();
  const hidden = new Set<string>();
  for (const actorUri of new Set(records.map((record) => record.actorUri))) {
    const actor = await ctx.store.actors.get(actorUri);
    // An actor deleted since, or blocked by the post's author since, is no longer shown.
    if (actor?.deletedAt != null || (authorUri !== null && (await ctx.store.blocks.get(authorUri, actorUri)) !== null)) {
      hidden.add(actorUri);
    } else if (actor !== null) {
      actors.set(actorUri, actor);
    }
  }
  return buildInteractionsView({
    targetUri,
    counts: { replies, likes, boosts, quotes },
    replies: records.filter((record) => !hidden.has(record.actorUri)),
    actors,
    hasMoreReplies: oldestFirst ? page.prev !== null : page.next !== null,
  });
}

/** The sanitized, theme-aware HTML block of an object's replies and counts. */
export async function renderInteractions(ctx: FederationContext, params: RenderInteractionsParams): Promise<string> {
  const view = await loadInteractionsView(ctx, params);
  return renderInteractionsHtml({
    view,
    ...(params.template === undefined ? {} : { template: params.template }),
    ...(params.labels === undefined ? {} : { labels: params.labels }),
    ...(params.includeStyles === undefined ? {} : { includeStyles: params.includeStyles }),
  });
}
