/**
 * Create: a remote object arrives. It is kept when it concerns a local actor
 * (see `kept-object.ts`), whatever its type: Notes, Articles, Events and
 * types this server has never heard of are all stored whole.
 */
import type { NormalizedActivity } from "../../../protocol/normalize.ts";
import type { HandlerOutcome, InboxHandlerContext } from "./handler.ts";
import { incomingObject } from "./incoming-object.ts";
import { concernsLocalActor, keptObjectRecord } from "./kept-object.ts";

/** Stores a new remote object that concerns a local actor. */
export async function handleCreate(ctx: InboxHandlerContext, activity: NormalizedActivity): Promise<HandlerOutcome> {
  if (ctx.local) return { kind: "ignored", note: "local objects are stored by the outbox" };
  const incoming = await incomingObject(ctx, { activity });
  if (!incoming.ok) return incoming.outcome;
  const { object } = incoming;
  if ((await ctx.store.objects.get(object.id)) !== null) return { kind: "ignored", note: "object is already stored" };
  const reason = await concernsLocalActor(ctx, { object, activity });
  if (reason === null) return { kind: "ignored", note: "object concerns no local actor" };

  await ctx.store.objects.put(await keptObjectRecord(ctx, { object, activity }));
  return { kind: "applied", note: reason };
}
