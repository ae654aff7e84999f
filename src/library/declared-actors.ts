/**
 * Actors a host application declares in code. The declaration is the truth
 * for the profile: each start creates a declared actor that does not exist
 * yet and brings a stored one in line with its declaration, in place. An
 * actor is never recreated and its key never replaced, because other
 * servers know it by its URI and key; a declared key that differs from the
 * stored one stops the start with a {@link KeyError}.
 */
import { z } from "zod";
import { createLocalActor, LOCAL_ACTOR_TYPES } from "../federation/actors/local-actors.ts";
import type { FederationContext } from "../federation/context.ts";
import { MAX_PROFILE_FIELDS } from "../federation/actors/profile-limits.ts";
import { sanitizeRemoteHtml } from "../protocol/sanitize.ts";
import { isValidUsername } from "../protocol/uris.ts";
import type { ActorRecord, ProfileField } from "../store/records.ts";
import { KeyError, resolveKeyInput, samePublicKey, type KeyInput, type KeyPairPem } from "./keys.ts";

/** A local actor as the host application declares it. */
export interface ActorDeclaration {
  /** 1–30 letters, digits or underscores; stored lower case. */
  readonly username: string;
  /** Person unless given; Service marks a bot. */
  readonly type?: (typeof LOCAL_ACTOR_TYPES)[number];
  /** Display name. */
  readonly name?: string;
  /** Profile text as HTML; sanitized before it is stored. */
  readonly summary?: string;
  /** Avatar URL (http or https). */
  readonly iconUrl?: string;
  /** Profile fields, shown as PropertyValue attachments; a URL value becomes a link (and can be verified with rel="me"). */
  readonly fields?: readonly ProfileField[];
  /** Follow requests wait for `outpost.followers.accept` instead of being accepted at once. */
  readonly manuallyApprovesFollowers?: boolean;
  /** Whether directories and search may list the actor; default true. */
  readonly discoverable?: boolean;
  /** The signing key; one is generated and kept in the store when absent. */
  readonly key?: KeyInput;
}

const httpUrl = z.url({ protocol: /^https?$/ }).max(2048);

const declarationSchema = z.object({
  username: z.string().refine(isValidUsername, "use 1–30 letters, digits or underscores, not starting with an underscore"),
  type: z.enum(LOCAL_ACTOR_TYPES).optional(),
  name: z.string().max(100).optional(),
  summary: z.string().max(10_000).optional(),
  iconUrl: httpUrl.optional(),
  fields: z
    .array(z.object({ name: z.string().min(1).max(255), value: z.string().max(2047) }))
    .max(MAX_PROFILE_FIELDS)
    .optional(),
  manuallyApprovesFollowers: z.boolean().optional(),
  discoverable: z.boolean().optional(),
});

/** Why the declarations cannot be applied. */
export type DeclarationErrorReason = "invalidDeclaration" | "duplicateUsername" | "actorDeleted" | "createFailed";

/** Parameters of {@link DeclarationError}'s constructor. */
export interface DeclarationErrorParams {
  readonly reason: DeclarationErrorReason;
  readonly message: string;
}

/** A declaration that is invalid or names an actor that cannot be used. */
export class DeclarationError extends Error {
  readonly reason: DeclarationErrorReason;

  constructor(params: DeclarationErrorParams) {
    super(params.message);
    this.name = "DeclarationError";
    this.reason = params.reason;
  }
}

/** What a start did to one declared actor. */
export interface DeclaredActorSync {
  readonly username: string;
  /** `created` on first start; `updated` when the profile changed (send it with `publishActorUpdate`). */
  readonly change: "created" | "updated" | "unchanged";
  readonly actor: ActorRecord;
}

/** Parameters of {@link syncDeclaredActors}. */
export interface SyncDeclaredActorsParams {
  readonly declarations: readonly ActorDeclaration[];
  /** Keys by username, for declarations without their own `key`. */
  readonly keys?: Readonly<Record<string, KeyInput>>;
}

/**
 * Creates the declared actors that are missing and updates the stored ones
 * whose profile differs from the declaration. Throws a
 * {@link DeclarationError} or a {@link KeyError}: a start with a wrong
 * declaration must fail, not run with an actor nobody meant.
 */
export async function syncDeclaredActors(ctx: FederationContext, params: SyncDeclaredActorsParams): Promise<DeclaredActorSync[]> {
  const seen = new Set<string>();
  const checked = params.declarations.map((declaration) => {
    const parsed = declarationSchema.safeParse(declaration);
    if (!parsed.success) {
      throw new DeclarationError({
        reason: "invalidDeclaration",
        message: `The actor declaration ${JSON.stringify(declaration.username)} is invalid: ${z.prettifyError(parsed.error)}`,
      });
    }
    const username = parsed.data.username.toLowerCase();
    if (seen.has(username)) {
      throw new DeclarationError({ reason: "duplicateUsername", message: `The actor "${username}" is declared twice` });
    }
    seen.add(username);
    const key = declaration.key ?? params.keys?.[declaration.username] ?? params.keys?.[username];
    return { declaration: { ...parsed.data, username }, key };
  });

  // Side by side: an actor created on a first start waits for its RSA key, made on libuv's threads.
  const settled = await Promise.allSettled(
    checked.map(async ({ declaration, key }) => {
      const pem = key === undefined ? undefined : await resolveKeyInput({ key });
      return syncOne(ctx, declaration, pem);
    }),
  );
  const failed = settled.find((outcome) => outcome.status === "rejected");
  if (failed !== undefined) throw failed.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<DeclaredActorSync>).value);
}

type CheckedDeclaration = z.output<typeof declarationSchema> & { readonly username: string };

/** The profile a declaration asks for, in the stored record's terms. */
function desiredProfile(declaration: CheckedDeclaration) {
  return {
    type: declaration.type ?? "Person",
    name: declaration.name === undefined || declaration.name === "" ? null : declaration.name,
    summary: declaration.summary === undefined || declaration.summary === "" ? null : sanitizeRemoteHtml(declaration.summary),
    iconUrl: declaration.iconUrl ?? null,
    fields: (declaration.fields ?? []).map((field) => ({ name: field.name, value: field.value })),
    manuallyApprovesFollowers: declaration.manuallyApprovesFollowers ?? false,
    discoverable: declaration.discoverable ?? true,
  };
}

async function syncOne(ctx: FederationContext, declaration: CheckedDeclaration, key: KeyPairPem | undefined): Promise<DeclaredActorSync> {
  const { username } = declaration;
  const desired = desiredProfile(declaration);
  const stored = await ctx.store.actors.getLocal(username);
  if (stored === null) return create(ctx, declaration, desired, key);
  if (!stored.local) throw new DeclarationError({ reason: "createFailed", message: `"${username}" names an actor that is not local` });
  if (stored.deletedAt !== null) {
    throw new DeclarationError({
      reason: "actorDeleted",
      message: `The declared actor "${username}" was deleted on ${stored.deletedAt}; a deleted actor's username cannot be used again. Declare another username.`,
    });
  }
  await checkKey(ctx, { username, actorUri: stored.uri, key });

  const changed = (Object.keys(desired) as (keyof typeof desired)[]).some(
    (field) => JSON.stringify(stored[field]) !== JSON.stringify(desired[field]),
  );
  if (!changed) return { username, change: "unchanged", actor: stored };
  const updated: ActorRecord = { ...stored, ...desired, updatedAt: ctx.now().toISOString() };
  await ctx.store.actors.put(updated);
  ctx.logger.info({ actor: updated.uri }, "declared actor updated; publishActorUpdate() tells its followers");
  return { username, change: "updated", actor: updated };
}

async function create(
  ctx: FederationContext,
  declaration: CheckedDeclaration,
  desired: ReturnType<typeof desiredProfile>,
  key: KeyPairPem | undefined,
): Promise<DeclaredActorSync> {
  const params = {
    username: declaration.username,
    ...desired,
    name: desired.name ?? undefined,
    summary: desired.summary ?? undefined,
    iconUrl: desired.iconUrl ?? undefined,
  };
  // With a declared key, the generated one is replaced in the same transaction, so no crash can leave the actor with a key nobody declared.
  const created =
    key === undefined
      ? await createLocalActor(ctx, params)
      : await ctx.store.transaction(async (tx) => {
          const result = await createLocalActor({ ...ctx, store: tx }, params);
          if (result.ok) {
            await tx.keys.put({ keyId: ctx.uris.key(declaration.username), ownerUri: result.actor.uri, ...key });
          }
          return result;
        });
  if (created.ok) return { username: declaration.username, change: "created", actor: created.actor };
  if (created.reason === "taken") {
    // Another process sharing the store created it meanwhile: check it as if it had been there.
    return syncOne(ctx, declaration, key);
  }
  throw new DeclarationError({ reason: "createFailed", message: created.message });
}

interface CheckKeyParams {
  readonly username: string;
  readonly actorUri: string;
  readonly key: KeyPairPem | undefined;
}

async function checkKey(ctx: FederationContext, params: CheckKeyParams): Promise<void> {
  const { username, key } = params;
  if (key === undefined) return;
  const keyId = ctx.uris.key(username);
  const stored = await ctx.store.keys.get(keyId);
  if (stored === null) {
    // An actor without a key cannot sign; the declared one completes it.
    await ctx.store.keys.put({ keyId, ownerUri: params.actorUri, ...key });
    return;
  }
  if (samePublicKey({ a: stored.publicKeyPem, b: key.publicKeyPem })) return;
  throw new KeyError({
    reason: "keyMismatch",
    message:
      `The key declared for "${username}" is not the key it already signs with (${keyId}). ` +
      "Other servers know the actor by the stored key and would reject everything signed with another. " +
      "Declare the key the actor was created with, or remove the declared key to keep using the stored one.",
  });
}
