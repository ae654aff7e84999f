/**
 * The logic of the `uploadMedia` endpoint an actor document names: the file
 * is stored, and the object the client sent with it (or a bare Image, Video
 * or Audio) gets the file's URL and type, then is posted to the actor's
 * outbox as if the client had sent it there, so it is wrapped in a Create
 * and published the same way.
 */
import { isJsonObject } from "../../protocol/json-ld.ts";
import type { ActorRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { mediaUrl, removeMediaFile, saveMediaFile } from "./media-store.ts";
import { sniffMediaType } from "./media-type.ts";
import { submitClientActivity } from "./submit.ts";
import type { SubmitFailure, SubmitSuccess } from "./submit-result.ts";

/** Parameters of {@link uploadMedia}. */
export interface UploadMediaParams {
  readonly actor: ActorRecord;
  /** Where files are kept: `<dataDir>/media`. */
  readonly dir: string;
  readonly bytes: Uint8Array;
  /** The `object` part of the upload, parsed; undefined when none was sent. */
  readonly object: unknown;
}

/** The created object with its file URL, or why not. */
export type UploadMediaResult =
  | (SubmitSuccess & { readonly objectUri: string; readonly url: string; readonly mediaType: string })
  | SubmitFailure
  | { readonly ok: false; readonly reason: "unsupportedMediaType"; readonly message: string; readonly status: 415 };

/** Stores an uploaded file and publishes the object that shows it. */
export async function uploadMedia(ctx: FederationContext, params: UploadMediaParams): Promise<UploadMediaResult> {
  const sniffed = sniffMediaType({ bytes: params.bytes });
  if (!sniffed.ok) return { ...sniffed, status: 415 };
  if (params.object !== undefined && !isJsonObject(params.object)) {
    return { ok: false, reason: "invalidObject", message: "the object part must be a JSON object", status: 400 };
  }
  const given = params.object ?? {};
  const name = await saveMediaFile({ dir: params.dir, bytes: params.bytes, media: sniffed, now: ctx.now() });
  const url = mediaUrl({ origin: ctx.uris.origin, name });
  const object = { type: sniffed.objectType, ...given, url, mediaType: sniffed.mediaType };
  const submitted = await submitClientActivity(ctx, { actor: params.actor, body: object }).catch(async (error: unknown) => {
    await removeMediaFile({ dir: params.dir, name });
    throw error;
  });
  if (!submitted.ok) {
    await removeMediaFile({ dir: params.dir, name });
    return submitted;
  }
  if (submitted.objectUri === undefined) {
    // The object part was an activity: nothing now shows the file.
    await removeMediaFile({ dir: params.dir, name });
    return { ok: false, reason: "invalidObject", message: "the object part must be an object (an Image, say), not an activity", status: 400 };
  }
  return { ...submitted, objectUri: submitted.objectUri, url, mediaType: sniffed.mediaType };
}
