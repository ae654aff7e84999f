/**
 * The sending half of the Fedify peer: activities built with Fedify's
 * vocabulary and delivered with `ctx.sendActivity`, addressed the way
 * Mastodon addresses them. Without a message queue Fedify delivers at once
 * and throws when an inbox refuses, so every helper that resolves was
 * accepted by each recipient.
 */
import { randomUUID } from "node:crypto";
import type { Context } from "@fedify/fedify";
import {
  Activity,
  Announce,
  Block,
  Create,
  Delete,
  Follow,
  isActor,
  Like,
  Mention,
  Note,
  Person,
  PUBLIC_COLLECTION,
  Tombstone,
  Undo,
  Update,
  type Actor,
} from "@fedify/vocab";
import { Temporal as TemporalPolyfill } from "@js-temporal/polyfill";

/** Who a post is for, as Mastodon's visibilities address it. */
export type PeerVisibility = "public" | "unlisted" | "followers" | "direct";

/** Parameters of {@link PeerOutbox.post}. */
export interface PeerPostParams {
  /** HTML content. */
  readonly content: string;
  readonly visibility?: PeerVisibility;
  /** Actor URIs mentioned (and addressed, and delivered to). */
  readonly mentions?: readonly string[];
  /** The post answered; its author is mentioned too. */
  readonly inReplyTo?: { readonly uri: string; readonly author: string };
}

/** Parameters of {@link PeerOutbox.edit}. */
export interface PeerEditParams {
  readonly noteUri: string;
  /** The new HTML content. */
  readonly content: string;
}

/** Parameters of {@link PeerOutbox.like} and {@link PeerOutbox.announce}. */
export interface PeerReactionParams {
  readonly objectUri: string;
  /** The post's author, who is told. */
  readonly author: string;
}

/** What a helper sent. */
export interface SentActivity {
  readonly id: string;
  /** The Note a Create, Update or Delete was about. */
  readonly objectId?: string;
}

/** The activities the peer can send. */
export interface PeerOutbox {
  follow(target: string): Promise<SentActivity>;
  post(params: PeerPostParams): Promise<SentActivity & { readonly objectId: string }>;
  edit(params: PeerEditParams): Promise<SentActivity>;
  deletePost(noteUri: string): Promise<SentActivity>;
  like(params: PeerReactionParams): Promise<SentActivity>;
  announce(params: PeerReactionParams): Promise<SentActivity>;
  block(target: string): Promise<SentActivity>;
  /** Sends Undo of an activity this peer sent, to the same recipients. */
  undo(activityId: string): Promise<SentActivity>;
  /** Renames the actor and sends Update(Person) to its followers. */
  updateName(name: string): Promise<SentActivity>;
}

/** What the peer knows, shared by its inbox and its outbox. */
export interface PeerState {
  name: string;
  readonly followers: Map<string, Actor>;
  readonly following: Map<string, "pending" | "accepted">;
  readonly notes: Map<string, { note: Note; recipients: string[] }>;
  readonly sent: Map<string, { activity: Activity; recipients: string[] }>;
}

/** Parameters of {@link createPeerOutbox}. */
export interface CreatePeerOutboxParams {
  readonly origin: string;
  readonly username: string;
  readonly state: PeerState;
  /** A Fedify context outside any request. */
  readonly context: () => Context<void>;
  /** The peer's actor document as currently served. */
  readonly person: (ctx: Context<void>) => Promise<Person>;
  /** Bounds the record of sent activities. */
  readonly maxRecords: number;
}

/** Builds the sending helpers over the peer's federation. */
export function createPeerOutbox(params: CreatePeerOutboxParams): PeerOutbox {
  const { origin, username, state, context } = params;
  const actorUri = new URL(`${origin}/users/${username}`);
  const followersUri = new URL(`${actorUri.href}/followers`);
  const followerUris = () => [...state.followers.keys()];
  const actors = new Map<string, Actor>();

  const actorOf = async (uri: string): Promise<Actor> => {
    const known = actors.get(uri) ?? state.followers.get(uri);
    if (known !== undefined) return known;
    const found = await context().lookupObject(uri);
    if (!isActor(found)) throw new Error(`${uri} is not an actor the Fedify peer can find`);
    actors.set(uri, found);
    return found;
  };
  const newId = (kind: string) => new URL(`${origin}/activities/${kind}/${randomUUID()}`);
  const send = async (activity: Activity, recipientUris: readonly string[], sharedInbox = false): Promise<SentActivity> => {
    const unique = [...new Set(recipientUris)];
    const recipients = await Promise.all(unique.map(actorOf));
    if (recipients.length > 0) {
      await context().sendActivity({ identifier: username }, recipients, activity, { preferSharedInbox: sharedInbox });
    }
    const id = activity.id?.href ?? "";
    if (state.sent.size >= params.maxRecords) state.sent.delete(state.sent.keys().next().value!);
    state.sent.set(id, { activity, recipients: unique });
    return { id };
  };
  const noteOf = (noteUri: string) => {
    const stored = state.notes.get(noteUri);
    if (stored === undefined) throw new Error(`the Fedify peer has no note ${noteUri}`);
    return stored;
  };

  return {
    async follow(target) {
      state.following.set(target, "pending");
      return send(new Follow({ id: newId("follow"), actor: actorUri, object: new URL(target), to: new URL(target) }), [target]);
    },

    async post(post) {
      const visibility = post.visibility ?? "public";
      const mentioned = [...(post.mentions ?? [])];
      if (post.inReplyTo !== undefined && !mentioned.includes(post.inReplyTo.author)) mentioned.push(post.inReplyTo.author);
      const noteUri = context().getObjectUri(Note, { identifier: username, id: randomUUID() });
      const { to, cc } = addressing({ visibility, followers: followersUri, mentions: mentioned.map((uri) => new URL(uri)) });
      const tags = await Promise.all(
        mentioned.map(async (uri) => {
          const actor = await actorOf(uri);
          return new Mention({ href: new URL(uri), name: `@${actor.preferredUsername?.toString() ?? "someone"}@${new URL(uri).host}` });
        }),
      );
      const published = now();
      const note = new Note({
        id: noteUri,
        attribution: actorUri,
        content: post.content,
        url: noteUri,
        published,
        tos: to,
        ccs: cc,
        tags,
        replyTarget: post.inReplyTo === undefined ? null : new URL(post.inReplyTo.uri),
      });
      const recipients = visibility === "direct" ? mentioned : [...followerUris(), ...mentioned];
      state.notes.set(noteUri.href, { note, recipients });
      const create = new Create({ id: newId("create"), actor: actorUri, object: note, tos: to, ccs: cc, published });
      return { ...(await send(create, recipients, true)), objectId: noteUri.href };
    },

    async edit({ noteUri, content }) {
      const stored = noteOf(noteUri);
      const updated = now();
      stored.note = stored.note.clone({ content, updated });
      const { note } = stored;
      const update = new Update({ id: newId("update"), actor: actorUri, object: note, tos: note.toIds, ccs: note.ccIds, updated });
      return { ...(await send(update, stored.recipients, true)), objectId: noteUri };
    },

    async deletePost(noteUri) {
      const stored = noteOf(noteUri);
      state.notes.delete(noteUri);
      const tombstone = new Tombstone({ id: new URL(noteUri), deleted: now() });
      const deletion = new Delete({ id: newId("delete"), actor: actorUri, object: tombstone, tos: stored.note.toIds, ccs: stored.note.ccIds });
      return { ...(await send(deletion, stored.recipients, true)), objectId: noteUri };
    },

    async like({ objectUri, author }) {
      return send(new Like({ id: newId("like"), actor: actorUri, object: new URL(objectUri), to: new URL(author) }), [author]);
    },

    async announce({ objectUri, author }) {
      const announce = new Announce({
        id: newId("announce"),
        actor: actorUri,
        object: new URL(objectUri),
        to: PUBLIC_COLLECTION,
        ccs: [new URL(author), followersUri],
        published: now(),
      });
      return send(announce, [author, ...followerUris()], true);
    },

    async block(target) {
      return send(new Block({ id: newId("block"), actor: actorUri, object: new URL(target), to: new URL(target) }), [target]);
    },

    async undo(activityId) {
      const sent = state.sent.get(activityId);
      if (sent === undefined) throw new Error(`the Fedify peer sent no activity ${activityId}`);
      const { activity } = sent;
      if (activity instanceof Follow && activity.objectId !== null) state.following.delete(activity.objectId.href);
      const undo = new Undo({ id: newId("undo"), actor: actorUri, object: activity, tos: activity.toIds, ccs: activity.ccIds });
      return send(undo, sent.recipients, activity instanceof Announce);
    },

    async updateName(name) {
      state.name = name;
      const person = await params.person(context());
      const update = new Update({ id: newId("update"), actor: actorUri, object: person, to: PUBLIC_COLLECTION, cc: followersUri });
      return send(update, followerUris(), true);
    },
  };
}

/** Mastodon's addressing of each visibility. */
function addressing(params: { visibility: PeerVisibility; followers: URL; mentions: URL[] }): { to: URL[]; cc: URL[] } {
  const { followers, mentions } = params;
  switch (params.visibility) {
    case "public":
      return { to: [PUBLIC_COLLECTION], cc: [followers, ...mentions] };
    case "unlisted":
      return { to: [followers], cc: [PUBLIC_COLLECTION, ...mentions] };
    case "followers":
      return { to: [followers], cc: mentions };
    case "direct":
      return { to: mentions, cc: [] };
  }
}

/**
 * The current instant. Node 24 has no Temporal yet, so Fedify runs on its
 * polyfill; Fedify's types name the standard Temporal, which the polyfill
 * implements but TypeScript sees as a different type.
 */
function now(): Temporal.Instant {
  return TemporalPolyfill.Now.instant() as unknown as Temporal.Instant;
}
