/**
 * The activities the load generator sends, shaped like Mastodon's: a public
 * Create(Note) of about a kilobyte, and a Follow.
 */

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

const NOTE_CONTEXT = [
  "https://www.w3.org/ns/activitystreams",
  {
    ostatus: "http://ostatus.org#",
    atomUri: "ostatus:atomUri",
    inReplyToAtomUri: "ostatus:inReplyToAtomUri",
    conversation: "ostatus:conversation",
    sensitive: "as:sensitive",
    toot: "http://joinmastodon.org/ns#",
  },
] as const;

const WORDS = [
  "harbour", "lantern", "meadow", "quartz", "river", "signal", "thistle", "upland", "velvet", "willow",
  "amber", "basalt", "cinder", "delta", "ember", "fjord", "glacier", "hollow", "island", "juniper",
];

/** Parameters of {@link createNoteActivity}. */
export interface CreateNoteActivityParams {
  /** The sending actor's id, `http://origin/users/name`. */
  readonly actor: string;
  /** Unique among everything this actor ever sends. */
  readonly statusId: string;
  readonly published: string;
  /** Seeds the words of the text, so notes differ. */
  readonly seed: number;
}

/** A public Create(Note) as Mastodon's NoteSerializer would send it, about 1 KB as JSON. */
export function createNoteActivity(params: CreateNoteActivityParams): Record<string, unknown> {
  const { actor, statusId, published } = params;
  const origin = new URL(actor).origin;
  const name = actor.slice(actor.lastIndexOf("/") + 1);
  const noteId = `${actor}/statuses/${statusId}`;
  const followers = `${actor}/followers`;
  const words: string[] = [];
  for (let i = 0; i < 38; i++) words.push(WORDS[(params.seed * 7 + i * 13) % WORDS.length]!);
  const content = `<p>${words.join(" ")} #${params.seed}</p>`;
  return {
    "@context": NOTE_CONTEXT,
    id: `${noteId}/activity`,
    type: "Create",
    actor,
    published,
    to: [PUBLIC],
    cc: [followers],
    object: {
      id: noteId,
      type: "Note",
      summary: null,
      inReplyTo: null,
      published,
      url: `${origin}/@${name}/${statusId}`,
      attributedTo: actor,
      to: [PUBLIC],
      cc: [followers],
      sensitive: false,
      atomUri: noteId,
      inReplyToAtomUri: null,
      content,
      contentMap: { en: content },
      attachment: [],
      tag: [],
    },
  };
}

/** Parameters of {@link followActivity}. */
export interface FollowActivityParams {
  readonly actor: string;
  readonly object: string;
  /** Unique per Follow. */
  readonly followId: string;
}

/** A Follow with an id at the follower's origin, as Mastodon's FollowSerializer emits. */
export function followActivity(params: FollowActivityParams): Record<string, unknown> {
  return {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${new URL(params.actor).origin}/${params.followId}`,
    type: "Follow",
    actor: params.actor,
    object: params.object,
  };
}
