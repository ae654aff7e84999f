/**
 * Verified links. A profile field holding the site's URL shows as verified
 * on Mastodon-compatible servers when the site's page links back to the
 * profile with `rel="me"`: those servers fetch the page and compare the link
 * with the actor's profile URL.
 */
import { escapeHtml } from "../protocol/content.ts";
import type { LocalUris } from "../protocol/uris.ts";

/** Parameters of {@link relMeLink}. */
export interface RelMeLinkParams {
  readonly uris: LocalUris;
  readonly username: string;
}

/** The `<link rel="me" href="…">` tag for the site's pages (put it in their `<head>`). */
export function relMeLink(params: RelMeLinkParams): string {
  return `<link rel="me" href="${escapeHtml(params.uris.profilePage(params.username.toLowerCase()))}">`;
}
