/**
 * Issuing and checking tokens. A token is shown once, when issued; the
 * server keeps only its digest, its owner, its scopes and its lifetime.
 * Personal access tokens are made from the command line for scripts; OAuth
 * tokens come from the token endpoint (see ../oauth/).
 */
import type { TokenKind, TokenRecord, UserRecord } from "../../store/account-records.ts";
import type { AccountStore } from "../../store/account-store.ts";
import type { AccountContext } from "./account-context.ts";
import { checkScopesWithin, parseScopes } from "./scopes.ts";
import { hashSecret, newRecordId, newSecret } from "./secrets.ts";

/** Parameters of {@link issueToken}. */
export interface IssueTokenParams {
  readonly kind: TokenKind;
  readonly userId: string | null;
  readonly clientId: string | null;
  readonly scopes: readonly string[];
  /** Null for a token that does not expire. */
  readonly ttlMs: number | null;
  readonly familyId?: string | null;
  readonly name?: string | null;
  /** Write within this (transaction's) store instead of the context's. */
  readonly store?: AccountStore;
}

/** A new token: the secret to hand out once, and what is stored. */
export interface IssuedToken {
  readonly token: string;
  readonly record: TokenRecord;
}

/** Stores and returns a new token. */
export async function issueToken(ac: AccountContext, params: IssueTokenParams): Promise<IssuedToken> {
  const token = newSecret({ kind: params.kind });
  const now = ac.now();
  const record: TokenRecord = {
    id: newRecordId(),
    tokenHash: hashSecret({ secret: token }),
    kind: params.kind,
    userId: params.userId,
    clientId: params.clientId,
    familyId: params.familyId ?? null,
    scopes: [...params.scopes],
    name: params.name ?? null,
    createdAt: now.toISOString(),
    expiresAt: params.ttlMs === null ? null : new Date(now.getTime() + params.ttlMs).toISOString(),
    revokedAt: null,
  };
  await (params.store ?? ac.accounts).tokens.add(record);
  return { token, record };
}

/** Parameters of {@link findLiveToken}. */
export interface FindLiveTokenParams {
  readonly token: string;
  readonly kind: TokenKind;
}

/** Why a presented token is not accepted. */
export type TokenFailureReason = "unknownToken" | "expiredToken" | "revokedToken" | "userGone";

/** The token and its user (null for client-credentials tokens), or why not. */
export type FindLiveTokenResult =
  | { readonly ok: true; readonly token: TokenRecord; readonly user: UserRecord | null }
  | { readonly ok: false; readonly reason: TokenFailureReason; readonly message: string; readonly token?: TokenRecord };

/** Looks a presented token up and checks that it is live and its user still exists. */
export async function findLiveToken(ac: AccountContext, params: FindLiveTokenParams): Promise<FindLiveTokenResult> {
  // Anything that is not one of our secrets is not worth a query.
  if (params.token.length < 20 || params.token.length > 200) {
    return { ok: false, reason: "unknownToken", message: "the token is not valid" };
  }
  const token = await ac.accounts.tokens.getByHash(hashSecret({ secret: params.token }));
  if (token === null || token.kind !== params.kind) return { ok: false, reason: "unknownToken", message: "the token is not valid" };
  if (token.revokedAt !== null) return { ok: false, reason: "revokedToken", message: "the token was revoked", token };
  if (token.expiresAt !== null && Date.parse(token.expiresAt) <= ac.now().getTime()) {
    return { ok: false, reason: "expiredToken", message: "the token expired", token };
  }
  if (token.userId === null) return { ok: true, token, user: null };
  const user = await ac.accounts.users.get(token.userId);
  if (user === null) return { ok: false, reason: "userGone", message: "the token's user no longer exists", token };
  return { ok: true, token, user };
}

/** Parameters of {@link createPersonalAccessToken}. */
export interface CreatePersonalAccessTokenParams {
  readonly username: string;
  /** Space- or comma-separated scopes. */
  readonly scopes: string;
  /** Null or absent: the token does not expire. */
  readonly expiresInMs?: number | null;
  readonly name?: string;
}

/** The token (shown once), or why not. */
export type CreatePersonalAccessTokenResult =
  | ({ readonly ok: true; readonly user: UserRecord } & IssuedToken)
  | { readonly ok: false; readonly reason: "userNotFound" | "invalidScope" | "noScope"; readonly message: string };

/** Makes a token for a user directly, without an application (scripts, the command line). */
export async function createPersonalAccessToken(
  ac: AccountContext,
  params: CreatePersonalAccessTokenParams,
): Promise<CreatePersonalAccessTokenResult> {
  const user = await ac.accounts.users.getByUsername(params.username);
  if (user === null) return { ok: false, reason: "userNotFound", message: `there is no user "${params.username.slice(0, 40)}"` };
  const parsed = parseScopes({ text: params.scopes });
  if (!parsed.ok) return parsed;
  const within = checkScopesWithin({ requested: parsed.scopes, allowed: parsed.scopes, admin: user.admin });
  if (!within.ok) return { ok: false, reason: "invalidScope", message: `${within.message} (admin scopes need an admin)` };
  const issued = await issueToken(ac, {
    kind: "access",
    userId: user.id,
    clientId: null,
    scopes: parsed.scopes,
    ttlMs: params.expiresInMs ?? null,
    name: params.name ?? "personal access token",
  });
  ac.logger.info({ username: user.username, scopes: parsed.scopes }, "personal access token created");
  return { ok: true, user, ...issued };
}
