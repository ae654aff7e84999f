/** What a local URI points at, as recognised by `LocalUris.parse`. */
export interface ParsedLocalUri {
  /**
   * `inbox`/`outbox` without a username are the instance actor's. `replies`/`likes`/`shares`
   * carry the username and id of the object they belong to.
   */
  kind:
    | "actor"
    | "inbox"
    | "outbox"
    | "followers"
    | "following"
    | "liked"
    | "featured"
    | "object"
    | "activity"
    | "replies"
    | "likes"
    | "shares"
    | "sharedInbox"
    | "instanceActor";
  username?: string;
  id?: string;
}

/** Mints and recognises the URIs of this server's actors, objects and endpoints. */
export interface LocalUris {
  /** e.g. "https://example.com" (no trailing slash). */
  origin: string;
  /** `${origin}${prefix}`: where ActivityPub documents live. */
  base: string;
  actor(username: string): string;
  key(username: string): string;
  inbox(username: string): string;
  outbox(username: string): string;
  followers(username: string): string;
  following(username: string): string;
  liked(username: string): string;
  featured(username: string): string;
  sharedInbox(): string;
  object(username: string, id: string): string;
  activity(username: string, id: string): string;
  replies(objectUri: string): string;
  likes(objectUri: string): string;
  shares(objectUri: string): string;
  /** The HTML profile, always at the origin root. */
  profilePage(username: string): string;
  /** `${origin}/tags/` — hashtag links are appended to it. */
  hashtagBase(): string;
  instanceActor(): string;
  instanceKey(): string;
  instanceInbox(): string;
  instanceOutbox(): string;
  /** Whether a URI was minted here (under `base`, or a profile page). */
  isLocal(uri: string): boolean;
  parse(uri: string): ParsedLocalUri | null;
}

/** Where the server is reachable. */
export interface LocalUrisParams {
  /** Scheme, host and optional port; a trailing slash is ignored. */
  readonly origin: string;
  /** Path under which ActivityPub documents live, e.g. "/activitypub". */
  readonly prefix?: string;
}

/** The collection of replies to an object (local or not). */
export function repliesUri(objectUri: string): string {
  return `${objectUri}/replies`;
}

/** The collection of likes of an object. */
export function likesUri(objectUri: string): string {
  return `${objectUri}/likes`;
}

/** The collection of shares (Announces) of an object. */
export function sharesUri(objectUri: string): string {
  return `${objectUri}/shares`;
}

/** The WebFinger endpoint's lookup template, with `{uri}` to fill in. */
export function webFingerTemplate(origin: string): string {
  return `${trimOrigin(origin)}/.well-known/webfinger?resource={uri}`;
}

/** Where the NodeInfo document of a schema version is served. */
export function nodeInfoUrl(origin: string, version: "2.0" | "2.1"): string {
  return `${trimOrigin(origin)}/nodeinfo/${version}`;
}

function trimOrigin(origin: string): string {
  return origin.replace(/\/+$/, "");
}

const COLLECTION_KINDS = new Map<string, ParsedLocalUri["kind"]>([
  ["inbox", "inbox"],
  ["outbox", "outbox"],
  ["followers", "followers"],
  ["following", "following"],
  ["liked", "liked"],
]);

const OBJECT_COLLECTION_KINDS = new Map<string, ParsedLocalUri["kind"]>([
  ["replies", "replies"],
  ["likes", "likes"],
  ["shares", "shares"],
]);

const ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/**
 * Builds the URI scheme for a server. Throws on an origin that is not an http(s) origin, since
 * that is a configuration mistake rather than untrusted input.
 */
export function createLocalUris(params: LocalUrisParams): LocalUris {
  const url = new URL(params.origin);
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`origin must be http(s): ${params.origin}`);
  }
  const origin = url.origin;
  const prefix = normalizePrefix(params.prefix);
  const base = origin + prefix;
  const actor = (username: string) => `${base}/users/${encodeURIComponent(username)}`;

  const parsePath = (path: string, fragment: string): ParsedLocalUri | null => {
    // Only key fragments are expected on local URIs; they resolve to their actor.
    if (fragment !== "" && fragment !== "#main-key") return null;
    if (path === "/actor") return { kind: "instanceActor" };
    if (fragment !== "") {
      const user = /^\/users\/([^/]+)$/.exec(path);
      const username = user ? usernameOf(user[1] ?? "") : null;
      return username === null ? null : { kind: "actor", username };
    }
    if (path === "/inbox") return { kind: "sharedInbox" };
    if (path === "/actor/inbox") return { kind: "inbox" };
    if (path === "/actor/outbox") return { kind: "outbox" };
    const segments = path.split("/").slice(1);
    if (segments[0] !== "users" || segments[1] === undefined) return null;
    const username = usernameOf(segments[1]);
    if (username === null) return null;
    const rest = segments.slice(2);
    if (rest.length === 0) return { kind: "actor", username };
    if (rest.length === 1) {
      const kind = COLLECTION_KINDS.get(rest[0] ?? "");
      return kind ? { kind, username } : null;
    }
    if (rest.length === 2 && rest[0] === "collections" && rest[1] === "featured") {
      return { kind: "featured", username };
    }
    const [section, id, collection] = rest;
    if ((section !== "objects" && section !== "activities") || id === undefined || !ID_PATTERN.test(id)) {
      return null;
    }
    if (rest.length === 2) return { kind: section === "objects" ? "object" : "activity", username, id };
    const kind = rest.length === 3 && section === "objects" ? OBJECT_COLLECTION_KINDS.get(collection ?? "") : undefined;
    return kind ? { kind, username, id } : null;
  };

  const parse = (uri: string): ParsedLocalUri | null => {
    let target: URL;
    try {
      target = new URL(uri);
    } catch {
      return null;
    }
    if (target.origin !== origin) return null;
    const path = target.pathname.replace(/\/+$/, "");
    if (prefix !== "" && !path.startsWith(prefix + "/")) return null;
    return parsePath(path.slice(prefix.length), target.hash);
  };

  return {
    origin,
    base,
    actor,
    key: (username) => `${actor(username)}#main-key`,
    inbox: (username) => `${actor(username)}/inbox`,
    outbox: (username) => `${actor(username)}/outbox`,
    followers: (username) => `${actor(username)}/followers`,
    following: (username) => `${actor(username)}/following`,
    liked: (username) => `${actor(username)}/liked`,
    featured: (username) => `${actor(username)}/collections/featured`,
    sharedInbox: () => `${base}/inbox`,
    object: (username, id) => `${actor(username)}/objects/${encodeURIComponent(id)}`,
    activity: (username, id) => `${actor(username)}/activities/${encodeURIComponent(id)}`,
    replies: repliesUri,
    likes: likesUri,
    shares: sharesUri,
    profilePage: (username) => `${origin}/@${encodeURIComponent(username)}`,
    hashtagBase: () => `${origin}/tags/`,
    instanceActor: () => `${base}/actor`,
    instanceKey: () => `${base}/actor#main-key`,
    instanceInbox: () => `${base}/actor/inbox`,
    instanceOutbox: () => `${base}/actor/outbox`,
    isLocal: (uri) => {
      let target: URL;
      try {
        target = new URL(uri);
      } catch {
        return false;
      }
      // The whole origin is ours, not only the prefix: a site that mounts
      // Outpost under a prefix publishes objects at its own URLs (its posts).
      return target.origin === origin;
    },
    parse,
  };
}

function normalizePrefix(prefix: string | undefined): string {
  if (prefix === undefined) return "";
  const trimmed = prefix.replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? "" : `/${trimmed}`;
}

function usernameOf(segment: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return null;
  }
  return isValidUsername(decoded) ? decoded.toLowerCase() : null;
}

/**
 * Whether a local username is acceptable: ASCII letters, digits and underscores, starting with a
 * letter or digit, 1–30 characters. Case-insensitive; usernames are stored lower-cased.
 */
export function isValidUsername(name: string): boolean {
  return /^[a-z0-9][a-z0-9_]{0,29}$/i.test(name);
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const RANDOM_BYTES = 10;

// Last id's time and random part, so ids minted within one millisecond still sort in order.
let lastTime = -1;
let lastRandom: Uint8Array<ArrayBuffer> = new Uint8Array(RANDOM_BYTES);

/**
 * A new time-sortable, URL-safe, unique id: a 48-bit millisecond timestamp and 80 random bits in
 * Crockford base32, 26 characters. Lexicographic order is creation order, also for ids minted in
 * the same millisecond (the random part is incremented instead of redrawn).
 */
export function mintId(now: number = Date.now()): string {
  const time = Math.max(0, Math.min(Math.floor(now), 2 ** 48 - 1));
  let random: Uint8Array<ArrayBuffer>;
  if (time === lastTime && increment(lastRandom)) {
    random = lastRandom;
  } else {
    random = new Uint8Array(RANDOM_BYTES);
    crypto.getRandomValues(random);
  }
  lastTime = time;
  lastRandom = random;
  return encodeTime(time) + encodeRandom(random);
}

function increment(bytes: Uint8Array<ArrayBuffer>): boolean {
  for (let i = bytes.length - 1; i >= 0; i--) {
    const next = (bytes[i] ?? 0) + 1;
    bytes[i] = next & 0xff;
    if (next <= 0xff) return true;
  }
  return false;
}

function encodeTime(time: number): string {
  let out = "";
  let rest = time;
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let out = "";
  for (let i = 0; i < 16; i++) {
    out = CROCKFORD[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}
