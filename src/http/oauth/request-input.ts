/**
 * Reading the parameters of OAuth and API requests, which clients send as a
 * form, as JSON or (Mastodon's app registration) as multipart. The body is
 * read with a cap first, whatever its type.
 */
import type { Context } from "hono";
import { isJsonObject } from "../../protocol/json-ld.ts";
import type { AppEnv } from "../app-env.ts";
import { HttpError } from "../errors.ts";
import { readBoundedBody } from "../read-body.ts";

/** Forms and JSON documents of these endpoints are small; this bounds what an anonymous caller can make us buffer. */
export const MAX_INPUT_BYTES = 64 * 1024;

/** The body types accepted. */
export type InputKind = "form" | "json" | "multipart";

/** Parameters of {@link readInput}. */
export interface ReadInputParams {
  readonly c: Context<AppEnv>;
  /** Which body types the endpoint takes. */
  readonly accept: readonly InputKind[];
  readonly maxBytes?: number;
}

/** The request's parameters: strings from forms, any JSON value from JSON. */
export async function readInput(params: ReadInputParams): Promise<Record<string, unknown>> {
  const { c, accept } = params;
  const contentType = (c.req.header("content-type") ?? "").toLowerCase();
  const kind: InputKind | null = contentType.startsWith("application/x-www-form-urlencoded")
    ? "form"
    : /^application\/([\w.+-]+\+)?json/.test(contentType)
      ? "json"
      : contentType.startsWith("multipart/form-data")
        ? "multipart"
        : null;
  if (kind === null || !accept.includes(kind)) {
    throw new HttpError({ status: 415, message: `send ${accept.map(mediaTypeOf).join(" or ")}` });
  }
  const read = await readBoundedBody({ request: c.req.raw, maxBytes: params.maxBytes ?? MAX_INPUT_BYTES });
  if (!read.ok) throw new HttpError({ status: read.reason === "tooLarge" ? 413 : 400, message: read.message });
  const text = new TextDecoder().decode(read.body);
  if (kind === "json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new HttpError({ status: 400, message: "the body is not valid JSON" });
    }
    if (!isJsonObject(parsed)) throw new HttpError({ status: 400, message: "the body must be a JSON object" });
    return parsed;
  }
  if (kind === "form") return singleValues(new URLSearchParams(text));
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(read.body), { headers: { "content-type": c.req.header("content-type") ?? "" } }).formData();
  } catch {
    throw new HttpError({ status: 400, message: "the multipart body cannot be read" });
  }
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form) if (typeof value === "string") fields[name] = value;
  return fields;
}

/** Parameters repeat only by mistake (or to confuse): RFC 6749 §3.1 forbids it. */
function singleValues(params: URLSearchParams): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name in fields) throw new HttpError({ status: 400, message: `the parameter ${JSON.stringify(name.slice(0, 40))} is repeated` });
    fields[name] = value;
  }
  return fields;
}

/** Parameters of {@link stringFields}. */
export interface StringFieldsParams {
  readonly input: Readonly<Record<string, unknown>>;
}

/** Only the string-valued parameters (OAuth parameters are all strings). */
export function stringFields(params: StringFieldsParams): Record<string, string | undefined> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(params.input)) if (typeof value === "string") fields[name] = value;
  return fields;
}

function mediaTypeOf(kind: InputKind): string {
  return kind === "form" ? "application/x-www-form-urlencoded" : kind === "json" ? "application/json" : "multipart/form-data";
}
