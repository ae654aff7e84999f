/**
 * Changing a profile: the actor record is updated and the whole new actor
 * document goes out in an Update, which is how other servers learn of a new
 * name, avatar, field or alias (Mastodon re-reads the embedded document).
 */
import { z } from "zod";
import { buildUpdate } from "../../../protocol/activities.ts";
import { sanitizeRemoteHtml } from "../../../protocol/sanitize.ts";
import { PUBLIC_COLLECTION } from "../../../protocol/vocabulary.ts";
import type { ActorRecord } from "../../../store/records.ts";
import type { FederationContext } from "../../context.ts";
import { localActorDocument } from "../../actors/local-actor-document.ts";
import { publishActivity } from "../publish.ts";
import { refuse, type ActionFailure, type Published } from "./action-result.ts";
import { guardActor, type ActorGuardReason } from "./actor-guard.ts";
import { newActivityUri } from "./mint-uris.ts";
import { MAX_PROFILE_FIELDS } from "../../actors/profile-limits.ts";

export { MAX_PROFILE_FIELDS } from "../../actors/profile-limits.ts";

const httpUrl = z.url({ protocol: /^https?$/ });

/** What a profile update may change; every field is optional. */
export const profileChangesSchema = z.strictObject({
  name: z.string().max(100).optional(),
  /** HTML; sanitized before it is stored. */
  summary: z.string().max(10_000).optional(),
  iconUrl: httpUrl.max(2048).nullable().optional(),
  fields: z
    .array(z.object({ name: z.string().min(1).max(255), value: z.string().max(2047) }))
    .max(MAX_PROFILE_FIELDS)
    .optional(),
  manuallyApprovesFollowers: z.boolean().optional(),
  discoverable: z.boolean().optional(),
  alsoKnownAs: z.array(httpUrl).max(10).optional(),
});

/** What a profile update may change. */
export type ProfileChanges = z.input<typeof profileChangesSchema>;

/** Parameters of {@link updateProfile}. */
export interface UpdateProfileParams {
  readonly actor: ActorRecord;
  readonly changes: ProfileChanges;
}

/** Why the profile was not updated. */
export type UpdateProfileReason = ActorGuardReason | "invalidChanges" | "noKey";

/** The Update sent with the new record, or why not. */
export type UpdateProfileResult = (Published & { readonly actor: ActorRecord }) | ActionFailure<UpdateProfileReason>;

/** Applies profile changes and sends Update(actor) to the followers. */
export async function updateProfile(ctx: FederationContext, params: UpdateProfileParams): Promise<UpdateProfileResult> {
  const { actor } = params;
  const guarded = guardActor({ actor });
  if (guarded !== null) return guarded;
  const parsed = profileChangesSchema.safeParse(params.changes);
  if (!parsed.success) {
    return refuse({ reason: "invalidChanges", message: z.prettifyError(parsed.error) });
  }
  const changes = parsed.data;
  const key = await ctx.store.keys.get(ctx.uris.key(actor.username));
  if (key === null) return refuse({ reason: "noKey", message: `${actor.uri} has no key to publish` });

  const now = ctx.now().toISOString();
  const updated: ActorRecord = {
    ...actor,
    ...(changes.name === undefined ? {} : { name: changes.name === "" ? null : changes.name }),
    ...(changes.summary === undefined ? {} : { summary: changes.summary === "" ? null : sanitizeRemoteHtml(changes.summary) }),
    ...(changes.iconUrl === undefined ? {} : { iconUrl: changes.iconUrl }),
    ...(changes.fields === undefined ? {} : { fields: changes.fields }),
    ...(changes.manuallyApprovesFollowers === undefined ? {} : { manuallyApprovesFollowers: changes.manuallyApprovesFollowers }),
    ...(changes.discoverable === undefined ? {} : { discoverable: changes.discoverable }),
    ...(changes.alsoKnownAs === undefined ? {} : { alsoKnownAs: [...new Set(changes.alsoKnownAs)] }),
    updatedAt: now,
  };
  const document = localActorDocument({ ctx, actor: updated, publicKeyPem: key.publicKeyPem });
  const followersUri = actor.followersUri ?? ctx.uris.followers(actor.username);
  const update = buildUpdate({
    id: newActivityUri(ctx, { actor }),
    actor: actor.uri,
    object: document,
    to: [PUBLIC_COLLECTION],
    cc: [followersUri],
    published: now,
  });
  const published = await publishActivity(ctx, {
    actor,
    activity: update,
    alsoWrite: async (tx) => {
      await tx.actors.put(updated);
    },
  });
  return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries, actor: updated };
}
