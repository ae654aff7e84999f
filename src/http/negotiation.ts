/**
 * Content negotiation for ActivityPub URLs: the same URL answers servers with
 * JSON and browsers with a page. Servers differ in what they ask for
 * (`application/activity+json`, the JSON-LD type with the ActivityStreams
 * profile, plain JSON, or nothing at all), and all of them must get JSON;
 * only a request that prefers HTML gets HTML.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AS_CONTEXT } from "../protocol/vocabulary.ts";
import type { AppEnv } from "./app-env.ts";

/** The ActivityStreams media type most servers send and expect. */
export const ACTIVITY_JSON = "application/activity+json";

/** The JSON-LD media type with the ActivityStreams profile, which the ActivityPub spec names. */
export const LD_JSON_ACTIVITY_STREAMS = `application/ld+json; profile="${AS_CONTEXT}"`;

/** The forms an ActivityPub URL can take. */
export type Representation = "activity" | "ld" | "html";

/** One media range of an Accept header. */
export interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly params: ReadonlyMap<string, string>;
  readonly q: number;
}

/** Splits on a separator outside double-quoted strings. */
function splitUnquoted(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    if (ch === "\\" && quoted && i + 1 < text.length) {
      current += ch + text[++i];
      continue;
    }
    if (ch === separator && !quoted) {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"') && value.length >= 2
    ? value.slice(1, -1).replace(/\\(.)/g, "$1")
    : value;
}

/** Parameters of {@link parseAccept}. */
export interface ParseAcceptParams {
  readonly accept: string;
}

/** The media ranges of an Accept header; malformed entries are skipped. */
export function parseAccept(params: ParseAcceptParams): MediaRange[] {
  const ranges: MediaRange[] = [];
  // A hostile header could be huge; real ones are a few hundred bytes.
  for (const entry of splitUnquoted(params.accept.slice(0, 4096), ",")) {
    const [mediaType = "", ...rawParams] = splitUnquoted(entry, ";");
    const match = /^\s*([\w.+*-]+)\/([\w.+*-]+)\s*$/.exec(mediaType);
    if (match === null) continue;
    const values = new Map<string, string>();
    let q = 1;
    for (const raw of rawParams) {
      const eq = raw.indexOf("=");
      if (eq === -1) continue;
      const name = raw.slice(0, eq).trim().toLowerCase();
      const value = unquote(raw.slice(eq + 1).trim());
      if (name === "q") {
        const parsed = Number(value);
        q = Number.isFinite(parsed) ? Math.min(1, Math.max(0, parsed)) : 0;
      } else {
        values.set(name, value);
      }
    }
    ranges.push({ type: match[1]!.toLowerCase(), subtype: match[2]!.toLowerCase(), params: values, q });
  }
  return ranges;
}

/** How specifically a range names a media type: -1 no match, 0 `*\/*`, 1 `type/*`, 2 exact. */
function specificity(range: MediaRange, type: string, subtype: string): number {
  if (range.type === "*" && range.subtype === "*") return 0;
  if (range.type !== type) return -1;
  if (range.subtype === "*") return 1;
  if (range.subtype !== subtype) return -1;
  // A JSON-LD range with some other profile asks for something else than ActivityStreams.
  const profile = range.params.get("profile");
  if (type === "application" && subtype === "ld+json" && profile !== undefined) {
    return profile.split(/\s+/).includes(AS_CONTEXT) ? 2 : -1;
  }
  return 2;
}

/** The quality the client gives a media type: that of its most specific matching range. */
function qualityOf(ranges: readonly MediaRange[], type: string, subtype: string): number {
  let best = -1;
  let q = 0;
  for (const range of ranges) {
    const s = specificity(range, type, subtype);
    if (s > best) {
      best = s;
      q = range.q;
    }
  }
  return q;
}

/** Parameters of {@link chooseRepresentation}. */
export interface ChooseRepresentationParams {
  /** The Accept header, null when absent. */
  readonly accept: string | null;
  /** Whether the URL carried the `.json` alias suffix. */
  readonly jsonSuffix?: boolean;
}

/**
 * The representation to serve. JSON unless the client rates HTML strictly
 * higher: ties, wildcards, a missing header and unsatisfiable headers all
 * get JSON, because a server that fails to get JSON cannot federate while a
 * browser shown JSON is only an inconvenience.
 */
export function chooseRepresentation(params: ChooseRepresentationParams): Representation {
  if (params.jsonSuffix === true || params.accept === null || params.accept.trim() === "") return "activity";
  const ranges = parseAccept({ accept: params.accept });
  if (ranges.length === 0) return "activity";
  const activity = Math.max(
    qualityOf(ranges, "application", "activity+json"),
    qualityOf(ranges, "application", "json"),
  );
  const ld = qualityOf(ranges, "application", "ld+json");
  const html = Math.max(qualityOf(ranges, "text", "html"), qualityOf(ranges, "application", "xhtml+xml"));
  if (html > activity && html > ld) return "html";
  // Plain JSON and activity+json both get activity+json; ld+json only when asked for more than those.
  if (ld > activity) return "ld";
  return "activity";
}

/** Accept headers seen lately and what they chose; servers send the same few again and again. */
const recentChoices = new Map<string, Representation>();
const RECENT_CHOICES_LIMIT = 64;
const RECENT_CHOICE_MAX_LENGTH = 512;

/**
 * The representation a request asks for, honouring the `.json` alias,
 * without marking the response; see {@link negotiate}.
 */
export function requestedRepresentation(c: Context<AppEnv>): Representation {
  if (c.get("jsonAlias")) return "activity";
  const accept = c.req.header("accept") ?? null;
  if (accept === null) return "activity";
  let choice = recentChoices.get(accept);
  if (choice === undefined) {
    choice = chooseRepresentation({ accept });
    if (accept.length > RECENT_CHOICE_MAX_LENGTH) return choice;
    // Forgetting everything at once is crude, but a client sending ever new headers gains nothing by it.
    if (recentChoices.size >= RECENT_CHOICES_LIMIT) recentChoices.clear();
    recentChoices.set(accept, choice);
  }
  return choice;
}

/**
 * The representation a request asks for, honouring the `.json` alias. Every
 * answer of the route, redirects and errors included, then varies by Accept,
 * so that caches keep pages and documents apart.
 */
export function negotiate(c: Context<AppEnv>): Representation {
  c.header("Vary", "Accept");
  return requestedRepresentation(c);
}

/** Parameters of {@link activityJsonResponse}. */
export interface ActivityJsonResponseParams {
  readonly c: Context<AppEnv>;
  readonly document: Record<string, unknown>;
  /** "ld" answers with the JSON-LD type; anything else with activity+json. */
  readonly representation: Representation;
  readonly status?: ContentfulStatusCode;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A document as ActivityStreams JSON, in the media type the client asked for. */
export function activityJsonResponse(params: ActivityJsonResponseParams): Response {
  const contentType = params.representation === "ld" ? LD_JSON_ACTIVITY_STREAMS : ACTIVITY_JSON;
  return params.c.body(JSON.stringify(params.document), params.status ?? 200, {
    "Content-Type": contentType,
    Vary: "Accept",
    ...params.headers,
  });
}
