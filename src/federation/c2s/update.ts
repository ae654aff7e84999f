/**
 * A client's Update (ActivityPub §6.3): a partial update of one of the
 * actor's own objects, or of the actor itself (its profile). The new version
 * goes to everyone the object reached before and everyone it reaches now;
 * those no longer addressed are told as blind recipients, since they hold
 * the old version.
 */
import { recipientsOf, stripHiddenRecipients, visibilityOf } from "../../protocol/addressing.ts";
import { asArray, idOf, isJsonObject, typeOf } from "../../protocol/json-ld.ts";
import { addressList } from "../../protocol/normalize-helpers.ts";
import { htmlToPlainText } from "../../protocol/sanitize.ts";
import type { ActorRecord, ObjectRecord, ProfileField } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { nextUpdated } from "../outbox/actions/next-updated.ts";
import { ownLiveObject } from "../outbox/actions/own-object.ts";
import type { ProfileChanges } from "../outbox/actions/update-profile.ts";
import { updateProfile } from "../outbox/actions/update-profile.ts";
import { publishActivity } from "../outbox/publish.ts";
import { ADDRESSING } from "./client-activity.ts";
import { sanitizeClientHtml } from "./client-html.ts";
import { mergeUpdate } from "./merge-update.ts";
import { fromAction, submitFailure, type SubmitResult } from "./submit-result.ts";

/** Parameters of {@link submitUpdate}. */
export interface SubmitUpdateParams {
  readonly actor: ActorRecord;
  readonly activity: Record<string, unknown>;
}

/** Applies and publishes a client's Update. */
export async function submitUpdate(ctx: FederationContext, params: SubmitUpdateParams): Promise<SubmitResult> {
  const { actor, activity } = params;
  const changes = Array.isArray(activity.object) && activity.object.length === 1 ? activity.object[0] : activity.object;
  if (!isJsonObject(changes)) {
    return submitFailure({ reason: "invalidObject", message: "an Update must embed the changed properties of the object, with its id" });
  }
  const id = idOf(changes);
  if (id === undefined) return submitFailure({ reason: "invalidObject", message: 'the updated object needs its "id"' });
  if (!ctx.uris.isLocal(id)) {
    return submitFailure({ reason: "foreignObjectId", message: `${id.slice(0, 200)} is on another origin; only this server's objects can be updated here` });
  }
  if (id === actor.uri) return updateOwnProfile(ctx, { actor, changes });

  const own = await ownLiveObject(ctx, { actor, objectUri: id });
  if (!own.ok) return fromAction({ result: own });
  const current = own.object;
  const merged = mergeUpdate({ current: current.document, changes: sanitizeClientHtml({ object: changes }) });
  if (!merged.ok) return submitFailure({ reason: "invalidObject", message: merged.message });

  const updated = nextUpdated({ now: ctx.now(), updated: current.updated, published: current.published });
  const document: Record<string, unknown> = { ...merged.document, updated };
  const { "@context": context, ...embedded } = document;
  const update: Record<string, unknown> = { ...activity, "@context": activity["@context"] ?? context, object: embedded, published: updated };
  // The Update reaches the object's audience now; those it reached before and no longer does hear of it blindly.
  for (const property of ADDRESSING) {
    const union = [...new Set([...addressList(activity[property]), ...addressList(document[property])])];
    if (union.length > 0) update[property] = union;
    else delete update[property];
  }
  const nowAddressed = new Set(recipientsOf(update));
  const formerly = current.recipients.filter((uri) => !nowAddressed.has(uri));
  if (formerly.length > 0) update.bcc = [...addressList(update.bcc), ...formerly];

  const followersUri = actor.followersUri ?? ctx.uris.followers(actor.username);
  const record: ObjectRecord = {
    ...current,
    updated,
    visibility: visibilityOf({ to: addressList(document.to), cc: addressList(document.cc), followersUri }),
    inReplyTo: idOf(document.inReplyTo) ?? null,
    // Everyone who got a version may still read it.
    recipients: [...new Set([...current.recipients, ...recipientsOf(document)])],
    document: stripHiddenRecipients(document),
  };
  const published = await publishActivity(ctx, { actor, activity: update, object: record });
  return { ok: true, activityUri: published.activityUri, objectUri: current.uri, deliveries: published.deliveries };
}

/** Parameters of {@link updateOwnProfile}. */
interface UpdateOwnProfileParams {
  readonly actor: ActorRecord;
  readonly changes: Record<string, unknown>;
}

/** An Update of the actor itself: the profile properties map to a profile update. */
async function updateOwnProfile(ctx: FederationContext, params: UpdateOwnProfileParams): Promise<SubmitResult> {
  const { actor, changes } = params;
  const profile: Record<string, unknown> = {};
  if (changes.name !== undefined) profile.name = changes.name ?? "";
  if (changes.summary !== undefined) profile.summary = changes.summary ?? "";
  if (changes.icon !== undefined) profile.iconUrl = changes.icon === null ? null : iconUrlOf(changes.icon);
  if (changes.manuallyApprovesFollowers !== undefined) profile.manuallyApprovesFollowers = changes.manuallyApprovesFollowers;
  if (changes.discoverable !== undefined) profile.discoverable = changes.discoverable;
  if (changes.alsoKnownAs !== undefined) profile.alsoKnownAs = asArray(changes.alsoKnownAs).map(idOf);
  if (changes.attachment !== undefined) profile.fields = fieldsOf(changes.attachment);
  if (Object.keys(profile).length === 0) {
    return submitFailure({
      reason: "invalidObject",
      message: "nothing to change: an actor's Update may set name, summary, icon, attachment, manuallyApprovesFollowers, discoverable or alsoKnownAs",
    });
  }
  return fromAction({ result: await updateProfile(ctx, { actor, changes: profile as ProfileChanges }) });
}

function iconUrlOf(icon: unknown): string | undefined {
  if (typeof icon === "string") return icon;
  const first = asArray(icon)[0];
  if (!isJsonObject(first)) return undefined;
  return typeof first.url === "string" ? first.url : idOf(first.url);
}

function fieldsOf(attachment: unknown): ProfileField[] {
  return asArray(attachment)
    .filter((entry) => isJsonObject(entry) && typeOf(entry) === "PropertyValue")
    .map((entry) => {
      const field = entry as Record<string, unknown>;
      // Served values are HTML; what is stored is the text they were made from.
      return { name: String(field.name ?? ""), value: htmlToPlainText(String(field.value ?? "")) };
    });
}
