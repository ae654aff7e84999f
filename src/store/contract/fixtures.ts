/**
 * Record builders and helpers shared by the store contract suites. Every
 * builder fills every field, so a round trip through a store checks them all.
 */
import type {
  ActivityRecord,
  ActorRecord,
  FollowRecord,
  ObjectRecord,
  Page,
  PageRequest,
} from "../records.ts";
import type { Store } from "../store.ts";

/** Opens a fresh, empty store. */
export type OpenStore = () => Promise<Store>;

/** Runs `fn` on a fresh store and closes the store afterwards, whatever happens. */
export async function withStore<T>(open: OpenStore, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await open();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** A fixed instant plus `minutes`, as ISO text, so records sort predictably. */
export function at(minutes: number): string {
  return new Date(Date.UTC(2024, 0, 1) + minutes * 60_000).toISOString();
}

export const LOCAL_HOST = "local.example";
export const REMOTE_HOST = "remote.example";

/** A local actor's URI. */
export function localUri(username: string): string {
  return `https://${LOCAL_HOST}/users/${username}`;
}

/** A remote actor's URI. */
export function remoteUri(username: string): string {
  return `https://${REMOTE_HOST}/users/${username}`;
}

/** A local actor with every optional field set. */
export function localActor(username: string, overrides: Partial<ActorRecord> = {}): ActorRecord {
  const uri = localUri(username);
  return {
    uri,
    type: "Person",
    username,
    host: LOCAL_HOST,
    local: true,
    inbox: `${uri}/inbox`,
    sharedInbox: `https://${LOCAL_HOST}/inbox`,
    outbox: `${uri}/outbox`,
    followersUri: `${uri}/followers`,
    followingUri: `${uri}/following`,
    featuredUri: `${uri}/featured`,
    url: `https://${LOCAL_HOST}/@${username}`,
    name: `${username} — “quoted” ✨`,
    summary: "<p>Hello, <em>world</em></p>",
    iconUrl: `https://${LOCAL_HOST}/media/${username}.png`,
    manuallyApprovesFollowers: true,
    discoverable: false,
    alsoKnownAs: [remoteUri(`${username}-old`), "https://elsewhere.example/u/x"],
    movedTo: null,
    fields: [
      { name: "Site", value: "<a href=\"https://example.com\">example.com</a>" },
      { name: "Pronouns", value: "they/them" },
    ],
    published: at(0),
    updatedAt: at(1),
    fetchedAt: null,
    deletedAt: null,
    document: null,
    ...overrides,
  };
}

/** A remote actor, with its fetched document. */
export function remoteActor(username: string, overrides: Partial<ActorRecord> = {}): ActorRecord {
  const uri = remoteUri(username);
  return {
    uri,
    type: "Service",
    username,
    host: REMOTE_HOST,
    local: false,
    inbox: `${uri}/inbox`,
    sharedInbox: null,
    outbox: `${uri}/outbox`,
    followersUri: `${uri}/followers`,
    followingUri: null,
    featuredUri: null,
    url: null,
    name: null,
    summary: null,
    iconUrl: null,
    manuallyApprovesFollowers: false,
    discoverable: true,
    alsoKnownAs: [],
    movedTo: remoteUri(`${username}-new`),
    fields: [],
    published: null,
    updatedAt: at(2),
    fetchedAt: at(3),
    deletedAt: null,
    document: {
      "@context": ["https://www.w3.org/ns/activitystreams", { toot: "http://joinmastodon.org/ns#" }],
      id: uri,
      type: "Service",
      preferredUsername: username,
      nested: { list: [1, 2.5, null, true, false, "ü"], empty: {} },
    },
    ...overrides,
  };
}

/** A public Note by `author`. */
export function note(uri: string, author: string, overrides: Partial<ObjectRecord> = {}): ObjectRecord {
  return {
    uri,
    type: "Note",
    attributedTo: author,
    local: true,
    visibility: "public",
    inReplyTo: null,
    published: at(10),
    updated: null,
    recipients: ["https://www.w3.org/ns/activitystreams#Public", `${author}/followers`],
    document: { id: uri, type: "Note", content: "<p>Hi</p>", tag: [{ type: "Hashtag", name: "#x" }] },
    deletedAt: null,
    formerType: null,
    ...overrides,
  };
}

/** A public activity of `type` by `actorUri`. */
export function activity(
  uri: string,
  type: string,
  actorUri: string,
  overrides: Partial<ActivityRecord> = {},
): ActivityRecord {
  return {
    uri,
    type,
    actorUri,
    objectUri: `${uri}/object`,
    targetUri: null,
    local: true,
    visibility: "public",
    recipients: ["https://www.w3.org/ns/activitystreams#Public"],
    document: { id: uri, type, actor: actorUri, published: at(20) },
    published: at(20),
    ...overrides,
  };
}

/** An accepted follow. */
export function follow(followerUri: string, followeeUri: string, overrides: Partial<FollowRecord> = {}): FollowRecord {
  return {
    followerUri,
    followeeUri,
    activityUri: `${followerUri}#follows/${encodeURIComponent(followeeUri)}`,
    state: "accepted",
    createdAt: at(5),
    ...overrides,
  };
}

/** Reads a whole list by following `next` from the newest page. */
export async function readAllPages<T>(
  list: (page: PageRequest) => Promise<Page<T>>,
  limit: number,
): Promise<T[]> {
  const all: T[] = [];
  let page = await list({ limit });
  all.push(...page.items);
  for (let guard = 0; page.next !== null; guard++) {
    if (guard > 10_000) throw new Error("paging does not end");
    page = await list({ limit, before: page.next });
    all.push(...page.items);
  }
  return all;
}
