/**
 * The publishing methods of the library: objects the site builds (a blog
 * post as an Article), prebuilt activities, and the social verbs. Each
 * resolves once the activity and its deliveries are durably queued, or, when
 * asked to wait, once every delivery was made, given up or scheduled for a
 * retry. They act as a declared actor: the only one, or the one named.
 */
import { getLocalActor } from "../federation/actors/local-actors.ts";
import type { FederationContext } from "../federation/context.ts";
import { refuse, type ActionFailure, type Published } from "../federation/outbox/actions/action-result.ts";
import { guardActor, type ActorGuardReason } from "../federation/outbox/actions/actor-guard.ts";
import { newActivityUri } from "../federation/outbox/actions/mint-uris.ts";
import {
  announceObject,
  deletePost,
  followActor,
  likeObject,
  unannounceObject,
  unfollowActor,
  unlikeObject,
  updateProfile,
} from "../federation/outbox/actions/index.ts";
import { publishActivity } from "../federation/outbox/publish.ts";
import { buildCreate, buildUpdate } from "../protocol/activities.ts";
import { idOf, isJsonObject } from "../protocol/json-ld.ts";
import type { ActorRecord } from "../store/records.ts";
import { waitForDeliveries, type DeliveryProgress, type DeliveryTracker } from "./delivery-progress.ts";
import { prepareEditedObject, prepareNewObject } from "./prepare-object.ts";
import { publishPrebuilt } from "./publish-prebuilt.ts";

/** Options every publishing method takes. */
export interface PublishOptions {
  /** Username of the declared actor to act as; needed only when several are declared. */
  readonly actor?: string;
  /** Resolve only when every delivery was made, given up, or failed and was scheduled for a retry. */
  readonly waitForDelivery?: boolean;
  /** Called while waiting, whenever the counts change. */
  readonly onProgress?: (delivered: number, failed: number, total: number) => void;
  /** Stops waiting (the deliveries go on). */
  readonly signal?: AbortSignal;
}

/** Options of {@link Publishing.publishObject}. */
export interface PublishObjectOptions extends PublishOptions {
  /** Create (default) for a new object, Update after a change, Delete to remove it (a Tombstone is served with 410). */
  readonly activity?: "Create" | "Update" | "Delete";
}

/** Why no actor could act. */
export type ActingActorReason = ActorGuardReason | "unknownActor";

/** What a publishing method did: the activity's id and how many inboxes it is queued for. */
export type PublishOutcome<R extends string = string> =
  | (Published & {
      /** The object created, changed, deleted or reacted to. */
      readonly objectUri?: string;
      /** Where the deliveries stand, when waited for. */
      readonly progress?: DeliveryProgress;
    })
  | ActionFailure<R | ActingActorReason>;

/** The publishing methods bound to an Outpost. */
export interface Publishing {
  /** Publishes an object the site built (its `id` is its permalink, or minted when absent). */
  publishObject(object: Record<string, unknown> | string, options?: PublishObjectOptions): Promise<PublishOutcome>;
  /** Publishes a prebuilt activity; its `actor` names the declared actor, or the default one is used. */
  publishActivity(activity: Record<string, unknown>, options?: PublishOptions): Promise<PublishOutcome>;
  /** Likes a post, local or remote. */
  like(objectUri: string, options?: PublishOptions): Promise<PublishOutcome>;
  /** Boosts a public post, local or remote. */
  announce(objectUri: string, options?: PublishOptions): Promise<PublishOutcome>;
  /** Follows an account (`@user@host` or actor URI). */
  follow(target: string, options?: PublishOptions): Promise<PublishOutcome>;
  /** Takes back a Like, Announce or Follow: pass its activity URI or the result that published it. */
  undo(activity: string | { readonly activityUri: string }, options?: PublishOptions): Promise<PublishOutcome>;
  /** Sends Update(actor) with the current profile, after a declaration changed it. */
  publishActorUpdate(options?: PublishOptions): Promise<PublishOutcome>;
}

/** Parameters of {@link createPublishing}. */
export interface CreatePublishingParams {
  /** The username used when a call names none; undefined when none or several actors are declared. */
  readonly defaultActor: () => string | undefined;
  /** Outcomes seen by this process's delivery worker; undefined when it runs none. */
  readonly tracker: DeliveryTracker | undefined;
}

/** Binds the publishing methods to a context. */
export function createPublishing(ctx: FederationContext, params: CreatePublishingParams): Publishing {
  type Acting = { ok: true; actor: ActorRecord } | ActionFailure<ActingActorReason>;
  const acting = async (username: string | undefined): Promise<Acting> => {
    const name = username ?? params.defaultActor();
    if (name === undefined) {
      return refuse({ reason: "unknownActor", message: "several actors (or none) are declared: name one with the `actor` option" });
    }
    const actor = await getLocalActor(ctx, name);
    if (actor === null) return refuse({ reason: "unknownActor", message: `there is no local actor "${name}"` });
    const guarded = guardActor({ actor });
    return guarded ?? { ok: true, actor };
  };

  const finish = async (
    result: (Published & { readonly objectUri?: string }) | ActionFailure<string>,
    options: PublishOptions | undefined,
  ): Promise<PublishOutcome> => {
    if (!result.ok || options?.waitForDelivery !== true) return result;
    const progress = await waitForDeliveries({
      store: ctx.store,
      tracker: params.tracker,
      activityUri: result.activityUri,
      total: result.deliveries,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    return { ...result, progress };
  };

  /** Runs a verb as the acting actor and finishes it; trims verb-specific fields from the answer. */
  const act = async (
    options: PublishOptions | undefined,
    verb: (actor: ActorRecord) => Promise<(Published & { readonly objectUri?: string }) | ActionFailure<string>>,
  ): Promise<PublishOutcome> => {
    const found = await acting(options?.actor);
    if (!found.ok) return found;
    const result = await verb(found.actor);
    if (!result.ok) return result;
    const trimmed = {
      ok: true as const,
      activityUri: result.activityUri,
      deliveries: result.deliveries,
      ...(result.objectUri === undefined ? {} : { objectUri: result.objectUri }),
    };
    return finish(trimmed, options);
  };

  return {
    publishObject: (object, options) =>
      act(options, async (actor) => {
        const kind = options?.activity ?? "Create";
        if (kind === "Delete") {
          const objectUri = typeof object === "string" ? object : idOf(object);
          if (objectUri === undefined) return refuse({ reason: "invalidObject", message: "a Delete needs the object's id" });
          return deletePost(ctx, { actor, objectUri });
        }
        if (typeof object === "string") return refuse({ reason: "invalidObject", message: `${kind} needs the whole object, not only its id` });
        const prepared = kind === "Update" ? await prepareEditedObject(ctx, { actor, object }) : await prepareNewObject(ctx, { actor, object });
        if (!prepared.ok) return prepared;
        const build = kind === "Update" ? buildUpdate : buildCreate;
        const activity = build({
          id: newActivityUri(ctx, { actor }),
          actor: actor.uri,
          object: prepared.document,
          published: prepared.record.updated ?? prepared.record.published ?? ctx.now().toISOString(),
        });
        if (prepared.hidden.length > 0) activity.bcc = prepared.hidden;
        const published = await publishActivity(ctx, { actor, activity, object: prepared.record });
        return { ok: true, activityUri: published.activityUri, deliveries: published.deliveries, objectUri: prepared.record.uri };
      }),

    publishActivity: (activity, options) => {
      if (!isJsonObject(activity)) {
        return Promise.resolve(refuse({ reason: "invalidActivity", message: "the activity must be a JSON object" }));
      }
      const named = idOf(activity.actor);
      const username = options?.actor ?? (named === undefined ? undefined : ctx.uris.parse(named)?.username);
      if (named !== undefined && username === undefined) {
        return Promise.resolve(refuse({ reason: "unknownActor", message: `${named} is not an actor of this server` }));
      }
      return act({ ...options, ...(username === undefined ? {} : { actor: username }) }, async (actor) => {
        if (named !== undefined && named !== actor.uri) {
          return refuse({ reason: "unknownActor", message: `the activity is by ${named}, not by ${actor.uri}` });
        }
        return publishPrebuilt(ctx, { actor, activity });
      });
    },

    like: (objectUri, options) => act(options, (actor) => likeObject(ctx, { actor, objectUri })),
    announce: (objectUri, options) => act(options, (actor) => announceObject(ctx, { actor, objectUri })),
    follow: (target, options) => act(options, (actor) => followActor(ctx, { actor, target })),

    undo: async (activity, options) => {
      const uri = typeof activity === "string" ? activity : activity.activityUri;
      const record = await ctx.store.activities.get(uri);
      if (record === null || !record.local) return refuse({ reason: "notUndoable", message: `${uri} is not an activity published here` });
      const username = ctx.uris.parse(record.actorUri)?.username;
      return act({ ...options, ...(username === undefined ? {} : { actor: username }) }, async (actor) => {
        const objectUri = record.objectUri;
        if (record.actorUri !== actor.uri || objectUri === null) {
          return refuse({ reason: "notUndoable", message: `${uri} is not an activity of ${actor.uri}` });
        }
        switch (record.type) {
          case "Like":
            return unlikeObject(ctx, { actor, objectUri });
          case "Announce":
            return unannounceObject(ctx, { actor, objectUri });
          case "Follow":
            return unfollowActor(ctx, { actor, target: objectUri });
        }
        return refuse({ reason: "notUndoable", message: `a ${record.type} cannot be undone; only Like, Announce and Follow can` });
      });
    },

    publishActorUpdate: (options) => act(options, (actor) => updateProfile(ctx, { actor, changes: {} })),
  };
}
