/**
 * Uploads and the files they store. `POST /users/:username/uploads` (the
 * actor's `uploadMedia` endpoint) takes a multipart body with a `file` and
 * an optional `object` (JSON) and answers 201 with the created object's id.
 * `GET /media/<name>` serves a stored file with the type its bytes were
 * recognised as, never sniffed again by the browser and never able to run
 * script on this origin.
 */
import type { Hono } from "hono";
import { MEDIA_PATH, readMediaFile } from "../../federation/c2s/media-store.ts";
import { uploadMedia } from "../../federation/c2s/upload-media.ts";
import { authenticateRequest, userOf } from "../api/require-token.ts";
import type { AppEnv } from "../app-env.ts";
import { HttpError } from "../errors.ts";
import { readBoundedBody } from "../read-body.ts";
import type { ClientApi } from "./client-api.ts";
import { managedActorOf } from "./outbox-post.ts";

/** Room for the multipart framing and the `object` part around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

/** Parameters of {@link registerMediaRoutes}. */
export interface RegisterMediaRoutesParams {
  readonly app: Hono<AppEnv>;
  readonly api: ClientApi;
}

/** Adds the upload endpoint and the media file route. */
export function registerMediaRoutes(params: RegisterMediaRoutesParams): void {
  const { app, api } = params;
  const { ctx } = api;

  app.post(`${ctx.config.prefix}/users/:username/uploads`, async (c) => {
    const user = userOf({ auth: await authenticateRequest({ api, c, scopes: ["write:media"] }) });
    const actor = await managedActorOf({ api, c, user });
    if (actor.deletedAt !== null) throw new HttpError({ status: 410, message: `${actor.uri} has been deleted` });
    const contentType = c.req.header("content-type") ?? "";
    if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
      throw new HttpError({ status: 415, message: "upload with multipart/form-data: a file part and an optional object part (JSON)" });
    }
    const read = await readBoundedBody({ request: c.req.raw, maxBytes: api.maxMediaBytes + MULTIPART_OVERHEAD });
    if (!read.ok) throw new HttpError({ status: read.reason === "tooLarge" ? 413 : 400, message: read.message });
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(read.body), { headers: { "content-type": contentType } }).formData();
    } catch {
      throw new HttpError({ status: 400, message: "the multipart body cannot be read" });
    }
    const file = form.get("file");
    if (file === null || typeof file === "string") throw new HttpError({ status: 400, message: 'the upload has no "file" part' });
    if (file.size > api.maxMediaBytes) {
      throw new HttpError({ status: 413, message: `the file exceeds ${api.maxMediaBytes} bytes` });
    }
    const objectPart = form.get("object");
    let object: unknown;
    if (objectPart !== null) {
      try {
        object = JSON.parse(typeof objectPart === "string" ? objectPart : await objectPart.text());
      } catch {
        throw new HttpError({ status: 400, message: 'the "object" part is not valid JSON' });
      }
    }
    const result = await uploadMedia(ctx, { actor, dir: api.mediaDir, bytes: new Uint8Array(await file.arrayBuffer()), object });
    if (!result.ok) throw new HttpError({ status: result.status, message: result.message });
    return c.body(
      JSON.stringify({ id: result.objectUri, activity: result.activityUri, url: result.url, mediaType: result.mediaType }),
      201,
      { "Content-Type": "application/json; charset=utf-8", Location: result.objectUri },
    );
  });

  app.get(`${MEDIA_PATH}/:name`, async (c) => {
    const found = await readMediaFile({ dir: api.mediaDir, name: c.req.param("name") });
    if (!found.ok) throw new HttpError({ status: 404, message: found.message });
    return c.body(new Uint8Array(found.bytes), 200, {
      "Content-Type": found.media.mediaType,
      "Content-Length": String(found.bytes.byteLength),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "public, max-age=31536000, immutable",
      "Access-Control-Allow-Origin": "*",
    });
  });
}
