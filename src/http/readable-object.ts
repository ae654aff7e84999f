/**
 * Looking up a local object named by a path, for the object routes and the
 * per-object collections: found, deleted, or (missing or not for this
 * reader) a 404 that does not say which.
 */
import type { Context } from "hono";
import type { FederationContext } from "../federation/context.ts";
import { isValidUsername } from "../protocol/uris.ts";
import type { ObjectRecord } from "../store/records.ts";
import type { AppEnv } from "./app-env.ts";
import { HttpError } from "./errors.ts";
import { checkReadAccess } from "./object-access.ts";
import { publicUrl } from "./public-url.ts";

/** Parameters of {@link findReadableObject}. */
export interface FindReadableObjectParams {
  readonly ctx: FederationContext;
  readonly c: Context<AppEnv>;
  readonly username: string | undefined;
  readonly id: string | undefined;
}

/** A readable object, or the tombstoned record of a deleted one. */
export type ReadableObject =
  | { readonly kind: "live"; readonly object: ObjectRecord }
  | { readonly kind: "deleted"; readonly object: ObjectRecord };

const NOT_FOUND = "no such object";

/** The object at `/users/:username/objects/:id`, if this request may read it. */
export async function findReadableObject(params: FindReadableObjectParams): Promise<ReadableObject> {
  const { ctx, c, username, id } = params;
  if (username === undefined || id === undefined || !isValidUsername(username) || !/^[A-Za-z0-9_-]{1,100}$/.test(id)) {
    throw new HttpError({ status: 404, message: NOT_FOUND });
  }
  const object = await ctx.store.objects.get(ctx.uris.object(username.toLowerCase(), id));
  if (object === null || !object.local) throw new HttpError({ status: 404, message: NOT_FOUND });
  if (object.deletedAt !== null) return { kind: "deleted", object };
  const access = await checkReadAccess({
    ctx,
    request: c.req.raw,
    url: publicUrl({ ctx, request: c.req.raw }),
    visibility: object.visibility,
    recipients: object.recipients,
    authorUri: object.attributedTo ?? "",
  });
  if (!access.ok) {
    c.get("logger").debug({ object: object.uri, reason: access.reason }, access.message);
    throw new HttpError({ status: 404, message: NOT_FOUND });
  }
  return { kind: "live", object };
}
