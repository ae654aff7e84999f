/**
 * Reads that one inbox job would otherwise repeat: the sender's stored
 * record (for its followers collection, when deciding recipients and
 * visibility), the local actors it names (as the owner of the personal inbox
 * it came to, as an addressee, and as the handler's target: a Follow reads
 * its followee three times), and which local actors follow an author (for
 * recipients, for whether an object is kept, and for who is told of an
 * interaction). Each is read once per job and shared for the rest of it.
 * Only reads made before a job changes follows or actors may go through
 * here, which holds for every handler: they decide on these reads first and
 * write afterwards. Actors also come from the process's actor cache, which
 * follows every change made here to a remote actor.
 */
import type { ActorRecord } from "../../store/records.ts";
import { storedActor } from "../actors/actor-resolver.ts";
import type { FederationContext } from "../context.ts";

/** Memoized reads for the length of one inbox job. */
export interface InboxLookups {
  /** The stored actor with this URI, or null. */
  actor(uri: string): Promise<ActorRecord | null>;
  /** The stored local actor with this username (deleted or not), or null. */
  localActor(username: string): Promise<ActorRecord | null>;
  /** URIs of the local actors with an accepted follow of this actor. */
  localFollowers(actorUri: string): Promise<readonly string[]>;
}

/** A context that may carry the current job's {@link InboxLookups}. */
export type MaybeInJob = FederationContext & { readonly lookups?: InboxLookups };

/** Creates the lookups of one job. */
export function createInboxLookups(ctx: FederationContext): InboxLookups {
  return {
    actor: once((uri) => storedActor(ctx, uri)),
    localActor: once((username) => ctx.store.actors.getLocal(username)),
    localFollowers: once((actorUri) => ctx.store.follows.localFollowers(actorUri)),
  };
}

/** `read` called at most once per key; later calls share the first answer. */
function once<V>(read: (key: string) => Promise<V>): (key: string) => Promise<V> {
  const answers = new Map<string, Promise<V>>();
  return (key) => {
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = read(key);
      answers.set(key, answer);
    }
    return answer;
  };
}
