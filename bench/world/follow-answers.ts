/**
 * The world's side of the target following remote actors: every verified
 * Follow addressed to a world actor is answered with an Accept signed by that
 * actor, delivered to the follower's inbox, as Mastodon does for an unlocked
 * account.
 */
import { signRequest } from "../../src/crypto/verify-request.ts";

/** Parameters of {@link createFollowAnswers}. */
export interface CreateFollowAnswersParams {
  /** The private key PEM a world actor signs with. */
  readonly privateKeyOf: (actorUrl: string) => string | null;
  /** The origin the target serves; follower documents are fetched from it only. */
  readonly targetOrigin: () => string | null;
  readonly fetch?: typeof globalThis.fetch;
  /** Deliveries in flight at once. */
  readonly concurrency?: number;
}

/** Parameters of {@link FollowAnswers.answer}. */
export interface AnswerParams {
  /** The verified Follow as received. */
  readonly follow: Readonly<Record<string, unknown>>;
  /** The world actor being followed. */
  readonly followee: string;
}

/** Queues Accepts and counts how they went. */
export interface FollowAnswers {
  answer(params: AnswerParams): void;
  readonly counts: () => { readonly answered: number; readonly failures: number; readonly lastError: string | null };
  /** Forgets cached inboxes (a new target). */
  clear(): void;
}

const TIMEOUT_MS = 15_000;
const ATTEMPTS = 3;
const ACCEPT_HEADER = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"';

/** Builds the answering machine. */
export function createFollowAnswers(params: CreateFollowAnswersParams): FollowAnswers {
  const fetchImpl = params.fetch ?? globalThis.fetch;
  const limit = params.concurrency ?? 16;
  const inboxes = new Map<string, Promise<string>>();
  const queue: Array<() => Promise<void>> = [];
  let running = 0;
  let answered = 0;
  let failures = 0;
  let lastError: string | null = null;
  let sequence = 0;

  const inboxOf = (actor: string): Promise<string> => {
    let found = inboxes.get(actor);
    if (found === undefined) {
      found = (async () => {
        const target = params.targetOrigin();
        if (target === null || new URL(actor).origin !== target) throw new Error(`follower ${actor} is not on the target`);
        const response = await fetchImpl(actor, { headers: { accept: ACCEPT_HEADER }, signal: AbortSignal.timeout(TIMEOUT_MS) });
        if (!response.ok) throw new Error(`fetching ${actor} answered ${response.status}`);
        const document = (await response.json()) as Record<string, unknown>;
        // Mastodon sends an Accept to the follower's own inbox, not the shared one.
        const inbox = document.inbox;
        if (typeof inbox !== "string") throw new Error(`${actor} has no inbox`);
        return inbox;
      })();
      found.catch(() => inboxes.delete(actor));
      inboxes.set(actor, found);
    }
    return found;
  };

  const deliver = async (follow: Readonly<Record<string, unknown>>, followee: string): Promise<void> => {
    const follower = typeof follow.actor === "string" ? follow.actor : null;
    const followId = typeof follow.id === "string" ? follow.id : null;
    if (follower === null || followId === null) throw new Error("the Follow has no actor or id");
    const privateKey = params.privateKeyOf(followee);
    if (privateKey === null) throw new Error(`${followee} is not a world actor`);
    const inbox = await inboxOf(follower);
    const accept = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${followee}#accepts/follows/${++sequence}`,
      type: "Accept",
      actor: followee,
      object: { id: followId, type: "Follow", actor: follower, object: followee },
    };
    const body = Buffer.from(JSON.stringify(accept));
    let last = "";
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const headers = signRequest({
        method: "POST",
        url: inbox,
        headers: new Headers({ "content-type": "application/activity+json", accept: ACCEPT_HEADER }),
        body,
        keyId: `${followee}#main-key`,
        privateKey,
      });
      const response = await fetchImpl(inbox, { method: "POST", headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
      await response.arrayBuffer();
      if (response.ok) return;
      last = `POST ${inbox} answered ${response.status}`;
      if (response.status < 500 && response.status !== 429) break;
    }
    throw new Error(last);
  };

  const pump = () => {
    while (running < limit && queue.length > 0) {
      const job = queue.shift()!;
      running++;
      void job().finally(() => {
        running--;
        pump();
      });
    }
  };

  return {
    answer({ follow, followee }) {
      queue.push(async () => {
        try {
          await deliver(follow, followee);
          answered++;
        } catch (error) {
          failures++;
          lastError = error instanceof Error ? error.message : String(error);
        }
      });
      pump();
    },
    counts: () => ({ answered, failures, lastError }),
    clear() {
      inboxes.clear();
    },
  };
}
