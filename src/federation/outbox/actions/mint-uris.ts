/**
 * New ids for what a local actor publishes. Ids are time-sortable and
 * unguessable, and live under the actor so they can be served and checked
 * back to their owner.
 */
import { mintId } from "../../../protocol/uris.ts";
import type { ActorRecord } from "../../../store/records.ts";
import type { FederationContext } from "../../context.ts";

/** Parameters of {@link newActivityUri} and {@link newObjectUri}. */
export interface MintUriParams {
  readonly actor: ActorRecord;
}

/** A fresh activity id of the actor. */
export function newActivityUri(ctx: FederationContext, params: MintUriParams): string {
  return ctx.uris.activity(params.actor.username, mintId(ctx.now().getTime()));
}

/** A fresh object id of the actor. */
export function newObjectUri(ctx: FederationContext, params: MintUriParams): string {
  return ctx.uris.object(params.actor.username, mintId(ctx.now().getTime()));
}
