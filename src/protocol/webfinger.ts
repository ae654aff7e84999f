import { z } from "zod";
import { isHttpUri, isJsonObject } from "./json-ld.ts";
import { failed, parsed, type ParseResult } from "./parse-result.ts";

/** What a WebFinger response for a local account is built from. */
export interface WebFingerParams {
  /** Usually `acct:user@host`. */
  readonly subject: string;
  readonly aliases: readonly string[];
  readonly actorUri: string;
  readonly profileUrl?: string;
  /** Remote-follow template with `{uri}`, e.g. `https://example.com/authorize_interaction?uri={uri}`. */
  readonly subscribeTemplate?: string;
}

/** A JSON Resource Descriptor for an account, linking its actor, profile page and remote-follow form. */
export function buildWebFinger(params: WebFingerParams): Record<string, unknown> {
  const links: Record<string, unknown>[] = [
    { rel: "self", type: "application/activity+json", href: params.actorUri },
  ];
  if (params.profileUrl !== undefined) {
    links.push({ rel: "http://webfinger.net/rel/profile-page", type: "text/html", href: params.profileUrl });
  }
  if (params.subscribeTemplate !== undefined) {
    links.push({ rel: "http://ostatus.org/schema/1.0/subscribe", template: params.subscribeTemplate });
  }
  return { subject: params.subject, aliases: [...params.aliases], links };
}

/** A WebFinger `resource` parameter, understood. */
export type WebFingerResource =
  | { kind: "acct"; username: string; host: string }
  | { kind: "uri"; uri: string };

const USERNAME_RE = /^[A-Za-z0-9_.~-]+$/;

/**
 * Reads a WebFinger `resource`: `acct:user@host`, `user@host`, `@user@host` (the forms people
 * paste), or an http(s) URI such as an actor id or profile page. `host` completes an account
 * given without one. Hosts come back lower-cased (and punycoded).
 */
export function parseWebFingerResource(resource: string, host: string): ParseResult<WebFingerResource> {
  const trimmed = resource.trim();
  if (trimmed === "") return failed("missingField", "resource is empty");
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === "http" || scheme === "https") {
    return isHttpUri(trimmed) ? parsed({ kind: "uri", uri: trimmed }) : failed("invalidField", "resource is not a valid URI");
  }
  if (scheme !== undefined && scheme !== "acct") {
    return failed("unsupportedType", `resource scheme "${scheme}" is not supported`);
  }
  let account = scheme === "acct" ? trimmed.slice("acct:".length) : trimmed;
  try {
    account = decodeURIComponent(account);
  } catch {
    return failed("invalidField", "resource is not validly percent-encoded");
  }
  if (account.startsWith("@")) account = account.slice(1);
  const parts = account.split("@");
  if (parts.length > 2) return failed("invalidField", "resource has more than one host");
  const [username = "", accountHost = host] = parts;
  if (!USERNAME_RE.test(username)) return failed("invalidField", "resource has no valid username");
  const normalizedHost = normalizeHost(accountHost);
  if (normalizedHost === undefined) return failed("invalidField", "resource has no valid host");
  return parsed({ kind: "acct", username, host: normalizedHost });
}

function normalizeHost(host: string): string | undefined {
  if (host === "" || /[/?#@\s\\]/.test(host)) return undefined;
  try {
    const url = new URL(`https://${host}`);
    return url.host === "" ? undefined : url.host;
  } catch {
    return undefined;
  }
}

/** The parts of a remote WebFinger response Outpost uses. */
export interface WebFingerDocument {
  subject: string;
  /** The ActivityPub actor (the `self` link). */
  actorUri?: string;
  profileUrl?: string;
}

const linkSchema = z.object({
  rel: z.string(),
  type: z.string().optional(),
  href: z.string().optional(),
});

/** Whether a media type denotes ActivityStreams JSON. */
export function isActivityJsonType(type: string): boolean {
  const normalized = type.toLowerCase().replace(/\s+/g, "");
  if (normalized === "application/activity+json" || normalized.startsWith("application/activity+json;")) {
    return true;
  }
  return (
    normalized.startsWith("application/ld+json") && normalized.includes("https://www.w3.org/ns/activitystreams")
  );
}

/**
 * Reads a WebFinger response from another server: its subject, the actor URI (the `self` link of
 * an ActivityStreams type) and the profile page. Malformed links are skipped.
 */
export function parseWebFingerDocument(json: unknown): ParseResult<WebFingerDocument> {
  if (!isJsonObject(json)) return failed("notAnObject", "webfinger document is not a JSON object");
  if (json.subject === undefined || json.subject === null) {
    return failed("missingField", 'webfinger document has no "subject"');
  }
  if (typeof json.subject !== "string" || json.subject === "") {
    return failed("invalidField", 'webfinger "subject" is not a string');
  }
  const value: WebFingerDocument = { subject: json.subject };
  for (const entry of Array.isArray(json.links) ? json.links : []) {
    const link = linkSchema.safeParse(entry);
    if (!link.success || !isHttpUri(link.data.href)) continue;
    const { rel, type, href } = link.data;
    if (value.actorUri === undefined && rel === "self" && type !== undefined && isActivityJsonType(type)) {
      value.actorUri = href;
    }
    if (value.profileUrl === undefined && rel === "http://webfinger.net/rel/profile-page") {
      value.profileUrl = href;
    }
  }
  return parsed(value);
}
