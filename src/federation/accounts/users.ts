/**
 * Users: the people who log in. A user has a username and a password and
 * manages local actors; the first one is usually made an admin from the
 * command line. Changing a password or deleting a user revokes every token
 * the user holds, so a leaked token dies with the old password.
 */
import { isValidUsername } from "../../protocol/uris.ts";
import type { UserRecord } from "../../store/account-records.ts";
import type { AccountContext } from "./account-context.ts";
import { hashPassword, verifyPassword } from "./password-hash.ts";
import { newRecordId } from "./secrets.ts";

/** The longest password accepted; hashing a megabyte on every login would be a denial of service. */
export const MAX_PASSWORD_LENGTH = 1024;

/** A verifiable stand-in, so an unknown username costs as much time as a wrong password. */
let dummyHash: Promise<string> | undefined;

/** Parameters of {@link createUser}. */
export interface CreateUserParams {
  readonly username: string;
  readonly password: string;
  readonly admin?: boolean;
}

/** Why a user was not created. */
export type CreateUserReason = "invalidUsername" | "weakPassword" | "taken";

/** The user, or why not. */
export type CreateUserResult =
  | { readonly ok: true; readonly user: UserRecord }
  | { readonly ok: false; readonly reason: CreateUserReason; readonly message: string };

/** Creates a user with a hashed password. */
export async function createUser(ac: AccountContext, params: CreateUserParams): Promise<CreateUserResult> {
  if (!isValidUsername(params.username)) {
    return { ok: false, reason: "invalidUsername", message: `"${params.username.slice(0, 40)}" is not a valid username: use 1–30 letters, digits or underscores` };
  }
  const weak = checkPassword(ac, params.password);
  if (weak !== null) return { ok: false, reason: "weakPassword", message: weak };
  const username = params.username.toLowerCase();
  if ((await ac.accounts.users.getByUsername(username)) !== null) return taken(username);
  const now = ac.now().toISOString();
  const user: UserRecord = {
    id: newRecordId(),
    username,
    passwordHash: await hashPassword({ password: params.password }),
    admin: params.admin ?? false,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await ac.accounts.users.create(user))) return taken(username);
  ac.logger.info({ username, admin: user.admin }, "user created");
  return { ok: true, user };
}

/** Parameters of {@link authenticateUser}. */
export interface AuthenticateUserParams {
  readonly username: string;
  readonly password: string;
  /** The client's address, for the attempt limits. */
  readonly address: string;
}

/** The user, or why not; the message never says whether the username exists. */
export type AuthenticateUserResult =
  | { readonly ok: true; readonly user: UserRecord }
  | { readonly ok: false; readonly reason: "invalidCredentials"; readonly message: string }
  | { readonly ok: false; readonly reason: "rateLimited"; readonly retryAfterMs: number; readonly message: string };

/** Checks a username and password, counting failures per address and username. */
export async function authenticateUser(ac: AccountContext, params: AuthenticateUserParams): Promise<AuthenticateUserResult> {
  const key = { address: params.address, username: params.username, now: ac.now().getTime() };
  const verdict = ac.limiter.check(key);
  if (!verdict.allowed) return { ok: false, reason: "rateLimited", retryAfterMs: verdict.retryAfterMs, message: verdict.message };
  const invalid = { ok: false, reason: "invalidCredentials", message: "wrong username or password" } as const;
  const user = params.password.length > MAX_PASSWORD_LENGTH ? null : await ac.accounts.users.getByUsername(params.username);
  if (user === null || user.passwordHash === null) {
    dummyHash ??= hashPassword({ password: "not a password of anyone" });
    await verifyPassword({ password: params.password.slice(0, MAX_PASSWORD_LENGTH), hash: await dummyHash });
    ac.limiter.fail(key);
    return invalid;
  }
  const verified = await verifyPassword({ password: params.password, hash: user.passwordHash });
  if (!verified.ok) {
    if (verified.reason === "malformedHash") ac.logger.warn({ username: user.username }, verified.message);
    ac.limiter.fail(key);
    return invalid;
  }
  ac.limiter.succeed({ username: user.username });
  if (verified.needsRehash) {
    const passwordHash = await hashPassword({ password: params.password });
    await ac.accounts.users.setPasswordHash(user.id, { passwordHash, updatedAt: ac.now().toISOString() });
  }
  return { ok: true, user };
}

/** Parameters of {@link changePassword}. */
export interface ChangePasswordParams {
  readonly username: string;
  readonly password: string;
}

/** Done (with how many tokens were revoked), or why not. */
export type ChangePasswordResult =
  | { readonly ok: true; readonly user: UserRecord; readonly revokedTokens: number }
  | { readonly ok: false; readonly reason: "userNotFound" | "weakPassword"; readonly message: string };

/** Sets a new password and revokes every token of the user. */
export async function changePassword(ac: AccountContext, params: ChangePasswordParams): Promise<ChangePasswordResult> {
  const user = await ac.accounts.users.getByUsername(params.username);
  if (user === null) return { ok: false, reason: "userNotFound", message: `there is no user "${params.username.slice(0, 40)}"` };
  const weak = checkPassword(ac, params.password);
  if (weak !== null) return { ok: false, reason: "weakPassword", message: weak };
  const passwordHash = await hashPassword({ password: params.password });
  const now = ac.now().toISOString();
  const revokedTokens = await ac.accounts.transaction(async (tx) => {
    await tx.users.setPasswordHash(user.id, { passwordHash, updatedAt: now });
    return tx.tokens.revokeForUser(user.id, now);
  });
  return { ok: true, user: { ...user, passwordHash, updatedAt: now }, revokedTokens };
}

/** Parameters of {@link deleteUser}. */
export interface DeleteUserParams {
  readonly username: string;
}

/** What deleting a user did, or why not. */
export type DeleteUserResult =
  | { readonly ok: true; readonly user: UserRecord; readonly revokedTokens: number; readonly releasedActors: string[] }
  | { readonly ok: false; readonly reason: "userNotFound"; readonly message: string };

/**
 * Deletes a user: its tokens are revoked and its actors are left without a
 * manager (they keep federating; an admin may take them over or delete them).
 */
export async function deleteUser(ac: AccountContext, params: DeleteUserParams): Promise<DeleteUserResult> {
  const user = await ac.accounts.users.getByUsername(params.username);
  if (user === null) return { ok: false, reason: "userNotFound", message: `there is no user "${params.username.slice(0, 40)}"` };
  const now = ac.now().toISOString();
  return ac.accounts.transaction(async (tx) => {
    const releasedActors = await tx.users.actorsOf(user.id);
    const revokedTokens = await tx.tokens.revokeForUser(user.id, now);
    await tx.users.remove(user.id);
    return { ok: true, user, revokedTokens, releasedActors };
  });
}

/** Why a password is not acceptable, or null. */
function checkPassword(ac: AccountContext, password: string): string | null {
  if ([...password].length < ac.config.minPasswordLength) {
    return `the password must have at least ${ac.config.minPasswordLength} characters`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) return `the password must have at most ${MAX_PASSWORD_LENGTH} characters`;
  return null;
}

function taken(username: string): CreateUserResult {
  return { ok: false, reason: "taken", message: `the username "${username}" is already taken` };
}
