/**
 * Outpost as a library: the server (createOutpost, serveOutpost), declared
 * actors and their keys, publishing, mentions, the store contract and its SQL
 * implementation, and the protocol helpers (local URIs, document builders,
 * addressing, sanitizing) a host application needs to publish and read
 * ActivityPub documents. Framework adapters live in `outpost/adapters/<name>`.
 */
export { createOutpost, type Outpost, type OutpostOptions, type RequestInfo } from "./outpost.ts";
export {
  exportKeyPairPem,
  generateKeyPair,
  KeyError,
  loadKeyPair,
  type KeyErrorReason,
  type KeyInput,
  type KeyPair,
  type LoadKeyPairParams,
} from "./library/keys.ts";
export {
  DeclarationError,
  type ActorDeclaration,
  type DeclarationErrorReason,
  type DeclaredActorSync,
} from "./library/declared-actors.ts";
export type {
  ActingActorReason,
  PublishObjectOptions,
  PublishOptions,
  PublishOutcome,
  Publishing,
} from "./library/publishing.ts";
export type { DeliveryProgress } from "./library/delivery-progress.ts";
export type { ExtractedMentions, Mention, UnresolvedMention, UnresolvedMentionReason } from "./library/mentions.ts";
export type { FollowerApproval, FollowerApprovalReason, FollowerApprovalResult, PendingFollower } from "./library/follower-approval.ts";
export type { InboxHandler, On, OnOptions } from "./library/inbox-handlers.ts";
export { asksForActivityJson } from "./library/object-response.ts";
export { serveOutpost, type RunningServer, type ServeOutpostParams } from "./http/node-server.ts";
export { createHttpApp, type CreateHttpAppParams, type RateLimitSetting, type RateLimitSettings } from "./http/app.ts";

// JsonObject and ProfileField come from the protocol layer below, which has the same shapes.
export type {
  ActivityRecord,
  ActorRecord,
  BlockRecord,
  CollectionItemRecord,
  FollowerInbox,
  FollowRecord,
  FollowState,
  HostHealthRecord,
  InstanceStats,
  JobRecord,
  JobStatus,
  KeyRecord,
  NewJob,
  ObjectRecord,
  Page,
  PageRequest,
  ReactionRecord,
  ReactionType,
  WebFingerCacheRecord,
} from "./store/records.ts";
export type * from "./store/store.ts";
export { createSqlStore, type SqlStore, type SqlStoreParameters } from "./store/sql-store.ts";
export { JsonText } from "./store/json-text.ts";
export { createJsonStore, type JsonStore, type JsonStoreParameters } from "./store/json/index.ts";

export {
  generateRsaKeyPair,
  generateRsaKeyPairsAhead,
  parsePrivateKey,
  parsePublicKey,
  type KeyPairPem,
} from "./crypto/keys.ts";
export { signRequest, verifyRequest, type VerifyRequestResult } from "./crypto/verify-request.ts";

export { resolveConfig, type FederationConfig, type FederationContext } from "./federation/context.ts";
export type { InboxPlugin, InboxPluginEvent } from "./federation/inbox/plugins.ts";

export * from "./protocol/index.ts";
