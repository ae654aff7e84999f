/**
 * Shared setup for the interaction, quote and webhook tests: the inbox test
 * bed (a local server at outpost.example, Mastodon-shaped remote actors on a
 * fake network) with a local actor `bob` and a public post of his, interaction
 * options, every event the hook saw, and signed deliveries run through the
 * inbox and every queue to the end.
 */
import { createInboxTestBed, noteRecord, remoteActor, signedDelivery, type InboxTestBed, type RemoteActor } from "../inbox/inbox.test-support.ts";
import type { TestContext } from "../../../test/support/federation-context.ts";
import type { ActorRecord, ObjectRecord } from "../../store/records.ts";
import { DELIVERY_QUEUE, handleDeliveryJob } from "../delivery/delivery-job.ts";
import { INBOX_QUEUE } from "../inbox/inbox-job.ts";
import { handleInboxPluginJob, INBOX_PLUGIN_QUEUE } from "../inbox/plugin-runner.ts";
import { handleInboxJob } from "../inbox/process.ts";
import { receiveActivity, type ReceiveOutcome } from "../inbox/receive.ts";
import { createWorker } from "../queue/worker.ts";
import { handleWebhookJob, WEBHOOK_QUEUE } from "../webhooks/webhook-job.ts";
import type { InteractionEvent } from "./events.ts";
import type { InteractionOptions } from "./options.ts";

/** Bob's public post, the target of most interactions (the Mastodon fixtures point at it). */
export const POST_URI = "https://outpost.example/users/bob/objects/01JCJ3T6K8Q8Y7M5N4P3R2S1T0";
export const BOB_URI = "https://outpost.example/users/bob";
export const SHARED_INBOX = "https://outpost.example/inbox";

/** Remote actors that interact. */
export const alice = remoteActor({ username: "alice" });
export const carol = remoteActor({ username: "carol", origin: "https://social.example" });

/** The bed of an interactions test. */
export interface InteractionsBed {
  readonly ctx: TestContext;
  readonly inbox: InboxTestBed;
  readonly bob: ActorRecord;
  readonly post: ObjectRecord;
  /** Every event the onInteraction hook saw, in order. */
  readonly events: InteractionEvent[];
  /** Posts a signed activity to the shared inbox and runs every job it leads to. */
  deliver(activity: Record<string, unknown>, signer?: RemoteActor): Promise<ReceiveOutcome>;
  /** Runs every due job of every queue until none is left. */
  runJobs(): Promise<void>;
  /** Moves the clock forward (retries come due); signatures stay within their window for minutes. */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** Parameters of {@link createInteractionsBed}. */
export interface CreateInteractionsBedParams {
  readonly options?: InteractionOptions;
  /** Replaces the recording hook. */
  readonly onInteraction?: InteractionOptions["onInteraction"];
}

/** Builds a bed; call `close()` when done. */
export async function createInteractionsBed(params: CreateInteractionsBedParams = {}): Promise<InteractionsBed> {
  let offsetMs = 0;
  const inbox = await createInboxTestBed({ now: () => new Date(Date.now() + offsetMs) });
  const events: InteractionEvent[] = [];
  const ctx: TestContext = {
    ...inbox.ctx,
    interactions: {
      ...params.options,
      onInteraction: params.onInteraction ?? ((event) => void events.push(event)),
    },
  };
  const bob = await inbox.addLocal({ username: "bob" });
  const post = noteRecord({ uri: POST_URI, attributedTo: bob.uri, local: true });
  await ctx.store.objects.put(post);
  await inbox.storeRemote(alice);
  await inbox.storeRemote(carol);
  inbox.acceptDeliveries(alice.sharedInbox);
  inbox.acceptDeliveries(carol.sharedInbox);

  const runJobs = async () => {
    const worker = createWorker(ctx, {
      handlers: {
        [INBOX_QUEUE]: handleInboxJob,
        [DELIVERY_QUEUE]: handleDeliveryJob,
        [INBOX_PLUGIN_QUEUE]: handleInboxPluginJob,
        [WEBHOOK_QUEUE]: handleWebhookJob,
      },
      concurrency: 1,
    });
    await worker.runUntilIdle();
  };
  return {
    ctx,
    inbox,
    bob,
    post,
    events,
    async deliver(activity, signer = alice) {
      const outcome = await receiveActivity(ctx, signedDelivery({ url: SHARED_INBOX, activity, signer }));
      await runJobs();
      return outcome;
    },
    runJobs,
    advance(ms) {
      offsetMs += ms;
    },
    close: () => ctx.store.close(),
  };
}

/** Parameters of {@link replyOf}. */
export interface ReplyOfParams {
  readonly n: number;
  readonly author?: RemoteActor;
  readonly content?: string;
  readonly inReplyTo?: string;
  /** Defaults to public. */
  readonly to?: readonly string[];
  readonly cc?: readonly string[];
  readonly extra?: Record<string, unknown>;
}

/** A Mastodon-shaped Create of a reply to Bob's post. */
export function replyOf(params: ReplyOfParams): Record<string, unknown> {
  const author = params.author ?? alice;
  const id = `${author.uri}/statuses/11345678901235${String(params.n).padStart(4, "0")}`;
  const to = params.to ?? ["https://www.w3.org/ns/activitystreams#Public"];
  const cc = params.cc ?? [author.followers, BOB_URI];
  return {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${id}/activity`,
    type: "Create",
    actor: author.uri,
    published: "2024-11-12T10:00:00Z",
    to,
    cc,
    object: {
      id,
      type: "Note",
      attributedTo: author.uri,
      inReplyTo: params.inReplyTo ?? POST_URI,
      published: "2024-11-12T10:00:00Z",
      url: `${author.uri.replace("/users/", "/@")}/${params.n}`,
      to,
      cc,
      content: params.content ?? `<p><span class="h-card"><a href="https://outpost.example/@bob" class="u-url mention">@<span>bob</span></a></span> reply ${params.n}</p>`,
      tag: [{ type: "Mention", href: BOB_URI, name: "@bob@outpost.example" }],
      ...params.extra,
    },
  };
}
