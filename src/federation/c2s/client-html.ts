/**
 * HTML a client sends in `content` and `summary` is shown by other servers
 * and on our own pages, so it gets the same sanitizing as HTML from other
 * servers. Everything else of a client's object is kept as sent.
 */
import { isJsonObject } from "../../protocol/json-ld.ts";
import { sanitizeRemoteHtml } from "../../protocol/sanitize.ts";

const HTML_PROPERTIES = ["content", "summary"] as const;

/** Parameters of {@link sanitizeClientHtml}. */
export interface SanitizeClientHtmlParams {
  readonly object: Record<string, unknown>;
}

/** A copy with `content`, `summary` and their language maps sanitized. */
export function sanitizeClientHtml(params: SanitizeClientHtmlParams): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...params.object };
  for (const property of HTML_PROPERTIES) {
    const value = copy[property];
    if (typeof value === "string") copy[property] = sanitizeRemoteHtml(value);
    const map = copy[`${property}Map`];
    if (isJsonObject(map)) {
      copy[`${property}Map`] = Object.fromEntries(
        Object.entries(map).map(([language, text]) => [language, typeof text === "string" ? sanitizeRemoteHtml(text) : text]),
      );
    }
  }
  return copy;
}
