/**
 * Recording one interaction and telling the host about it. Recording is
 * idempotent: an activity processed again (a retried job, a redelivery)
 * finds its interaction stored and unchanged, and nobody is told twice. An
 * interaction its author deleted stays deleted: a late copy of the Create
 * does not bring it back.
 */
import { urlOf } from "../../protocol/normalize-helpers.ts";
import type { InteractionKind, InteractionRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import type { InteractionAction, InteractionEvent } from "./events.ts";
import { lookUpInteractionActor } from "./interaction-actor.ts";
import { notifyInteraction } from "./notify.ts";
import { resolveInteractionOptions } from "./options.ts";
import { isKeptInteraction } from "./storage-policy.ts";

/** Parameters of {@link recordInteraction}. */
export interface RecordInteractionParams {
  readonly interaction: InteractionRecord;
  /** It arrived in an Update: a private (unstored) one is announced as `updated`. */
  readonly edited?: boolean;
  /**
   * Whether the owner approved it (quotes): "pending" is announced as
   * awaiting approval and "unapproved" only announced, neither is stored.
   * Default "approved".
   */
  readonly approval?: "approved" | "pending" | "unapproved";
}

/** What recording did. */
export type RecordInteractionResult =
  | { readonly recorded: true; readonly change: "created" | "updated" | "unchanged" }
  | {
      readonly recorded: false;
      readonly reason: "private" | "pending" | "unapproved" | "withdrawn";
      readonly message: string;
    };

/** Stores an interaction when its visibility allows, and runs the hook and webhooks for anything new. */
export async function recordInteraction(ctx: FederationContext, params: RecordInteractionParams): Promise<RecordInteractionResult> {
  const { interaction } = params;
  const options = resolveInteractionOptions({ options: ctx.interactions });
  if (params.approval === "pending") {
    await announce(ctx, { interaction, action: "requested", stored: false });
    return { recorded: false, reason: "pending", message: "the interaction awaits the owner's approval" };
  }
  if (params.approval === "unapproved") {
    await announce(ctx, { interaction, action: params.edited === true ? "updated" : "created", stored: false });
    return { recorded: false, reason: "unapproved", message: "the owner did not approve the interaction" };
  }
  if (!isKeptInteraction({ visibility: interaction.visibility, storePrivateInteractions: options.storePrivateInteractions })) {
    await announce(ctx, { interaction, action: params.edited === true ? "updated" : "created", stored: false });
    return { recorded: false, reason: "private", message: `${interaction.visibility} interactions are not stored` };
  }

  const existing = await ctx.store.interactions.get(interaction.uri, interaction.kind);
  if (existing !== null && existing.deletedAt !== null) {
    return { recorded: false, reason: "withdrawn", message: "the interaction was deleted or withdrawn before" };
  }
  if (existing !== null && sameContent(existing, interaction)) return { recorded: true, change: "unchanged" };
  // An edit keeps the interaction's first appearance, and with it its place in lists.
  const record = existing === null ? interaction : { ...interaction, createdAt: existing.createdAt };
  await ctx.store.interactions.put(record);
  const change = existing === null ? "created" : "updated";
  await announce(ctx, { interaction: record, action: change, stored: true });
  return { recorded: true, change };
}

/** Parameters of {@link withdrawInteractions}. */
export interface WithdrawInteractionsParams {
  /** The deleted object's or the undone activity's id. */
  readonly uri: string;
  /** Only these kinds; every kind when absent. */
  readonly kinds?: readonly InteractionKind[];
}

const EVERY_KIND: readonly InteractionKind[] = ["reply", "mention", "quote", "like", "boost"];

/** Marks the live interactions with this uri deleted and tells the host; returns how many there were. */
export async function withdrawInteractions(ctx: FederationContext, params: WithdrawInteractionsParams): Promise<number> {
  const live: InteractionRecord[] = [];
  for (const kind of params.kinds ?? EVERY_KIND) {
    const found = await ctx.store.interactions.get(params.uri, kind);
    if (found !== null && found.deletedAt === null) live.push(found);
  }
  if (live.length === 0) return 0;
  const deletedAt = ctx.now().toISOString();
  if (params.kinds === undefined) await ctx.store.interactions.markDeleted(params.uri, deletedAt);
  else for (const interaction of live) await ctx.store.interactions.put({ ...interaction, deletedAt });
  for (const interaction of live) await announce(ctx, { interaction, action: "deleted", stored: true });
  return live.length;
}

interface AnnounceParams {
  readonly interaction: InteractionRecord;
  readonly action: InteractionAction;
  readonly stored: boolean;
}

async function announce(ctx: FederationContext, params: AnnounceParams): Promise<void> {
  const { interaction } = params;
  const event: InteractionEvent = {
    type: interaction.kind,
    action: params.action,
    uri: interaction.uri,
    url: urlOf(interaction.document.url) ?? interaction.uri,
    actor: await lookUpInteractionActor(ctx, { uri: interaction.actorUri }),
    localActorUri: interaction.localActorUri,
    targetUri: interaction.targetUri,
    content: interaction.content,
    visibility: interaction.visibility,
    published: interaction.published,
    stored: params.stored,
    occurredAt: ctx.now().toISOString(),
  };
  await notifyInteraction(ctx, { event });
}

function sameContent(stored: InteractionRecord, incoming: InteractionRecord): boolean {
  return (
    stored.content === incoming.content &&
    stored.updated === incoming.updated &&
    stored.visibility === incoming.visibility &&
    stored.targetUri === incoming.targetUri &&
    JSON.stringify(stored.document) === JSON.stringify(incoming.document)
  );
}
