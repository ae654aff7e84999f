/**
 * Create: a remote object arrives. It is kept when it concerns a local actor
 * (see `kept-object.ts`), whatever its type: Notes, Articles, Events and
 * types this server has never heard of are all stored whole. What it amounts
 * to for a local actor (a reply, a quote, a mention) is then recorded as an
 * interaction.
 */
import type { NormalizedActivity } from "../../../protocol/normalize.ts";
import { recordObjectInteractions } from "../../interactions/record-object-interactions.ts";
import type { HandlerOutcome, InboxHandlerContext } from "./handler.ts";
import { incomingObject } from "./incoming-object.ts";
import { concernsLocalActor, keptObjectRecord } from "./kept-object.ts";

/** Stores a new remote object that concerns a local actor, and its interactions. */
export async function handleCreate(ctx: InboxHandlerContext, activity: NormalizedActivity): Promise<HandlerOutcome> {
  if (ctx.local) return { kind: "ignored", note: "local objects are stored by the outbox" };
  const incoming = await incomingObject(ctx, { activity });
  if (!incoming.ok) return incoming.outcome;
  const { object } = incoming;
  const stored = await ctx.store.objects.get(object.id);
  if (stored !== null) {
    // A job retried after storing the object still records its interactions (recording is idempotent).
    if (!stored.local && stored.deletedAt === null && stored.attributedTo === object.attributedTo) {
      await recordObjectInteractions(ctx, { object, kept: stored });
    }
    return { kind: "ignored", note: "object is already stored" };
  }
  const reason = await concernsLocalActor(ctx, { object, activity });
  if (reason === null) return { kind: "ignored", note: "object concerns no local actor" };

  const kept = await keptObjectRecord(ctx, { object, activity });
  // As a transaction, the write shares a commit with other jobs' writes on SQLite (see the store's transaction group).
  await ctx.store.transaction((tx) => tx.objects.put(kept));
  await recordObjectInteractions(ctx, { object, kept });
  return { kind: "applied", note: reason };
}
