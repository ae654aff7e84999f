/**
 * The records of the client-to-server side: people who log in (users), the
 * applications they authorize (OAuth clients), the credentials handed out
 * (tokens, authorization codes), which local actors each user manages, and
 * the replay guard of outbox requests (idempotency keys).
 *
 * Like {@link records}, these are storage-neutral shapes with ISO 8601 UTC
 * timestamps. Secrets are never stored as given: passwords as a versioned
 * slow hash, tokens, codes and client secrets as SHA-256 digests.
 */

/** Someone who logs in and manages one or more local actors. */
export interface UserRecord {
  /** Opaque, stable id. */
  id: string;
  /** Lower case; unique. */
  username: string;
  /** The versioned password hash; null when the user cannot log in with a password. */
  passwordHash: string | null;
  admin: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A local actor managed by a user. */
export interface ActorOwnerRecord {
  actorUri: string;
  userId: string;
  createdAt: string;
}

/** An application registered to ask users for access. */
export interface OAuthClientRecord {
  clientId: string;
  /** SHA-256 of the secret (hex); null for public clients, which cannot keep one. */
  clientSecretHash: string | null;
  name: string;
  /** Exact redirect URIs the client may use. */
  redirectUris: string[];
  /** The most the client may ask for. */
  scopes: string[];
  /** Grant types it may use at the token endpoint. */
  grantTypes: string[];
  website: string | null;
  createdAt: string;
}

/** What a token is for. */
export type TokenKind = "access" | "refresh";

/** An issued token, known by its hash only. */
export interface TokenRecord {
  id: string;
  /** SHA-256 of the token (hex). */
  tokenHash: string;
  kind: TokenKind;
  /** Null for client-credentials tokens, which act for the client alone. */
  userId: string | null;
  /** Null for personal access tokens, which no application holds. */
  clientId: string | null;
  /**
   * Tokens that descend from one authorization share a family: refreshing
   * rotates within it, and replaying a used code or refresh token revokes it all.
   */
  familyId: string | null;
  scopes: string[];
  /** A label for personal access tokens. */
  name: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** A one-time authorization code, known by its hash only. */
export interface AuthorizationCodeRecord {
  codeHash: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  scopes: string[];
  /** PKCE challenge; null when the (confidential) client sent none. */
  codeChallenge: string | null;
  codeChallengeMethod: "S256" | null;
  /** The token family the exchange starts. */
  familyId: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

/** What consuming an authorization code found. */
export type ConsumeCodeResult =
  | { kind: "consumed"; code: AuthorizationCodeRecord }
  /** Used before: a replay, which revokes what the first use obtained. */
  | { kind: "reused"; code: AuthorizationCodeRecord }
  | { kind: "missing" };

/** A client request key remembered so a retried request is not carried out twice. */
export interface IdempotencyRecord {
  userId: string;
  key: string;
  /** SHA-256 of what was asked (target and body), so a key reused for another request is noticed. */
  requestHash: string;
  /** The activity the request created; null while the request is still running. */
  activityUri: string | null;
  createdAt: string;
}

/** What reserving an idempotency key found. */
export type ReserveKeyResult = { kind: "reserved" } | { kind: "existing"; record: IdempotencyRecord };
