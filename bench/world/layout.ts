/**
 * Where the remote world's actors live. Every origin is a distinct loopback
 * address (all of 127.0.0.0/8 reaches this host on Linux) on one shared port,
 * so targets see as many distinct servers as a workload asks for without any
 * DNS. Actors are named by kind and number, and everything about one (its
 * origin, its key, whether it has a shared inbox) follows from its name, so
 * the world, the load generator and the orchestrator agree without talking.
 */

/** How many origins each kind of remote actor is spread over. */
export interface WorldLayout {
  /** The port every origin listens on. */
  readonly port: number;
  /** Origins of the senders of the inbox-ingest workload. */
  readonly senderOrigins: number;
  /** Origins of the followers of the follow-intake and fan-out workloads. */
  readonly followerOrigins: number;
  /** Origins of the large fan-out, one follower each and no shared inbox. */
  readonly soloOrigins: number;
}

/** The kinds of remote actors; the name prefix says which. */
export type ActorKind = "sender" | "follower" | "solo" | "member";

const PREFIX: Readonly<Record<ActorKind, string>> = { sender: "s", follower: "f", solo: "solo", member: "m" };
const NAME_PATTERN = /^(s|f|solo|m)([0-9]{1,9})$/;
const KIND_OF_PREFIX: Readonly<Record<string, ActorKind>> = { s: "sender", f: "follower", solo: "solo", m: "member" };

/** Host bytes per /24; .0 and .255 are skipped so no address looks like a network or broadcast address. */
const HOSTS_PER_BLOCK = 254;
/** The second octet the world starts at, away from 127.0.0.1 where the targets listen. */
const FIRST_SECOND_OCTET = 20;

/** Parameters of {@link originAddress}. */
export interface OriginAddressParams {
  /** Index of the origin over the whole world, from 0. */
  readonly index: number;
}

/** The loopback address of the index-th origin of the world. */
export function originAddress(params: OriginAddressParams): string {
  const { index } = params;
  const block = Math.floor(index / HOSTS_PER_BLOCK);
  const second = FIRST_SECOND_OCTET + Math.floor(block / 256);
  if (second > 254) throw new RangeError(`origin ${index} lies beyond the loopback range`);
  return `127.${second}.${block % 256}.${1 + (index % HOSTS_PER_BLOCK)}`;
}

/** Parameters of {@link worldOriginCount}. */
export interface WorldOriginCountParams {
  readonly layout: WorldLayout;
}

/** How many origins the world serves in all. */
export function worldOriginCount(params: WorldOriginCountParams): number {
  const { layout } = params;
  return layout.senderOrigins + layout.followerOrigins + layout.soloOrigins;
}

/** Parameters of {@link actorUrl}. */
export interface ActorUrlParams {
  readonly layout: WorldLayout;
  readonly kind: ActorKind;
  /** The actor's number within its kind, from 0. */
  readonly n: number;
}

/** The id of a remote actor: `http://<its origin>/users/<name>`. */
export function actorUrl(params: ActorUrlParams): string {
  const { layout, kind, n } = params;
  return `${originOf({ layout, kind, n })}/users/${PREFIX[kind]}${n}`;
}

/** The origin (`http://address:port`) an actor lives at. */
export function originOf(params: ActorUrlParams): string {
  const { layout, kind, n } = params;
  let index: number;
  switch (kind) {
    case "sender":
      index = n % layout.senderOrigins;
      break;
    case "follower":
    case "member":
      index = layout.senderOrigins + (n % layout.followerOrigins);
      break;
    case "solo":
      index = layout.senderOrigins + layout.followerOrigins + (n % layout.soloOrigins);
      break;
  }
  return `http://${originAddress({ index })}:${layout.port}`;
}

/** A remote actor's name read back. */
export type ParsedActorName =
  | { readonly ok: true; readonly kind: ActorKind; readonly n: number; readonly name: string }
  | { readonly ok: false; readonly reason: "unknownName"; readonly message: string };

/** Parameters of {@link parseActorName}. */
export interface ParseActorNameParams {
  readonly name: string;
}

/** Reads an actor name such as `f17` back into its kind and number. */
export function parseActorName(params: ParseActorNameParams): ParsedActorName {
  const match = NAME_PATTERN.exec(params.name);
  if (match === null) return { ok: false, reason: "unknownName", message: `no remote actor is named ${JSON.stringify(params.name)}` };
  return { ok: true, kind: KIND_OF_PREFIX[match[1]!]!, n: Number(match[2]), name: params.name };
}

/** Parameters of {@link hasSharedInbox}. */
export interface HasSharedInboxParams {
  readonly kind: ActorKind;
}

/** Solo actors stand for small servers without a shared inbox; all others have one. */
export function hasSharedInbox(params: HasSharedInboxParams): boolean {
  return params.kind !== "solo";
}

/** Parameters of {@link keyIndexOf}. */
export interface KeyIndexOfParams {
  readonly name: string;
  readonly poolSize: number;
}

/**
 * Which key of the pool an actor signs with. Keys are shared between actors
 * (generating thousands of RSA keys would dominate the run), but each actor
 * still has its own key id, so a target cannot tell.
 */
export function keyIndexOf(params: KeyIndexOfParams): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < params.name.length; i++) {
    hash ^= params.name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % params.poolSize;
}
