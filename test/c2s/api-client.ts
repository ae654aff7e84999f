/**
 * A client of Outpost's client-to-server API over HTTP: it manages actors,
 * posts to outboxes, uploads media and reads documents and collections,
 * with a bearer token or anonymously. Only the user itself is made outside
 * HTTP, as an operator makes it on the command line.
 */
import { createAccountContext } from "../../src/federation/accounts/account-context.ts";
import { createUser } from "../../src/federation/accounts/users.ts";
import { sqlAccountStoreOf } from "../../src/store/sql-account-store.ts";
import type { OutpostInstance } from "../support/outpost-instance.ts";
import { jsonOf, type JsonAnswer } from "./oauth-client.ts";

/** The ActivityStreams media type clients post and ask for. */
export const ACTIVITY_JSON = "application/activity+json";
/** The special collection that addresses everyone. */
export const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

/** Parameters of {@link createUserOn}. */
export interface CreateUserOnParams {
  readonly instance: OutpostInstance;
  readonly username: string;
  readonly password: string;
}

/** Creates a user of an instance, as `outpost user create` does. */
export async function createUserOn(params: CreateUserOnParams): Promise<void> {
  const accounts = sqlAccountStoreOf(params.instance.store);
  if (accounts === null) throw new Error(`${params.instance.name} keeps no accounts`);
  const ac = createAccountContext({ accounts, logger: params.instance.ctx.logger, now: params.instance.ctx.now });
  const created = await createUser(ac, { username: params.username, password: params.password });
  if (!created.ok) throw new Error(`${params.instance.name}: cannot create user ${params.username}: ${created.message}`);
}

/** Parameters of {@link readJson}. */
export interface ReadJsonParams {
  readonly url: string;
  /** Read with this token; anonymously when absent. */
  readonly token?: string;
}

/** GETs a document as ActivityStreams. */
export async function readJson(params: ReadJsonParams): Promise<JsonAnswer> {
  const headers: Record<string, string> = { accept: ACTIVITY_JSON };
  if (params.token !== undefined) headers.authorization = `Bearer ${params.token}`;
  return jsonOf(await fetch(params.url, { headers }));
}

/** An item of a collection page: embedded, or its id. */
export type CollectionItem = Record<string, any> | string;

/** The items of a collection's first page (`orderedItems` or `items`); throws unless it is served. */
export async function pageItems(params: ReadJsonParams): Promise<CollectionItem[]> {
  const answer = await readJson({ ...params, url: `${params.url}?page=true` });
  if (answer.status !== 200) throw new Error(`GET ${params.url}?page=true answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return (answer.body.orderedItems ?? answer.body.items ?? []) as CollectionItem[];
}

/** The ids of a collection page's items, embedded or not. */
export async function itemIds(params: ReadJsonParams): Promise<string[]> {
  return (await pageItems(params)).map((item) => (typeof item === "string" ? item : String(item.id)));
}

/** The ids of the objects of the activities of a collection page (inbox, outbox). */
export async function objectIdsOfActivities(params: ReadJsonParams): Promise<string[]> {
  return (await pageItems(params)).map((item) => {
    if (typeof item === "string") return item;
    const object = item.object;
    return typeof object === "string" ? object : String(object?.id);
  });
}

/** A collection's `totalItems`. */
export async function totalItems(params: ReadJsonParams): Promise<number> {
  const answer = await readJson(params);
  if (answer.status !== 200) throw new Error(`GET ${params.url} answered ${answer.status}`);
  return Number(answer.body.totalItems);
}

/** Parameters of {@link createActorViaApi}. */
export interface CreateActorViaApiParams {
  readonly origin: string;
  readonly token: string;
  readonly username: string;
  readonly displayName?: string;
}

/** `POST /api/actors`; answers the API's view of the actor. */
export async function createActorViaApi(params: CreateActorViaApiParams): Promise<JsonAnswer> {
  return jsonOf(
    await fetch(`${params.origin}/api/actors`, {
      method: "POST",
      headers: { authorization: `Bearer ${params.token}`, "content-type": "application/json" },
      body: JSON.stringify({ preferred_username: params.username, display_name: params.displayName ?? params.username, type: "Person" }),
    }),
  );
}

/** Parameters of {@link postToOutbox}. */
export interface PostToOutboxParams {
  readonly outbox: string;
  readonly token: string;
  readonly body: Record<string, unknown>;
}

/** POSTs an activity (or a bare object) to an outbox. */
export async function postToOutbox(params: PostToOutboxParams): Promise<JsonAnswer> {
  return jsonOf(
    await fetch(params.outbox, {
      method: "POST",
      headers: { authorization: `Bearer ${params.token}`, "content-type": ACTIVITY_JSON, accept: ACTIVITY_JSON },
      body: JSON.stringify({ "@context": "https://www.w3.org/ns/activitystreams", ...params.body }),
    }),
  );
}

/** Posts to an outbox and insists on 201; answers the activity as served. */
export async function publish(params: PostToOutboxParams): Promise<Record<string, any>> {
  const answer = await postToOutbox(params);
  if (answer.status !== 201) throw new Error(`POST ${params.outbox} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Parameters of {@link uploadMedia}. */
export interface UploadMediaParams {
  /** The actor's `endpoints.uploadMedia`. */
  readonly endpoint: string;
  readonly token: string;
  readonly bytes: Uint8Array;
  readonly filename: string;
  /** The type the client claims; the server goes by the bytes. */
  readonly declaredType: string;
  readonly object: Record<string, unknown>;
}

/** A multipart upload with a `file` and an `object` part. */
export async function uploadMedia(params: UploadMediaParams): Promise<JsonAnswer> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(params.bytes)], { type: params.declaredType }), params.filename);
  form.append("object", JSON.stringify(params.object));
  return jsonOf(await fetch(params.endpoint, { method: "POST", headers: { authorization: `Bearer ${params.token}` }, body: form }));
}
