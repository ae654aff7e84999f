/**
 * Outpost as a library: the server (createOutpost, serveOutpost), the store
 * contract and its SQL implementation, key helpers, and the protocol helpers
 * (local URIs, document builders, addressing, sanitizing) a host application
 * needs to publish and read ActivityPub documents.
 */
export { createOutpost, type Outpost, type OutpostOptions, type RequestInfo } from "./outpost.ts";
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

export { generateRsaKeyPair, parsePrivateKey, parsePublicKey, type KeyPairPem } from "./crypto/keys.ts";
export { signRequest, verifyRequest, type VerifyRequestResult } from "./crypto/verify-request.ts";

export { resolveConfig, type FederationConfig, type FederationContext } from "./federation/context.ts";
export type { InboxPlugin, InboxPluginEvent } from "./federation/inbox/plugins.ts";

export * from "./protocol/index.ts";
