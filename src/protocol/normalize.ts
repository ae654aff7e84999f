/**
 * Normalization of incoming JSON(-LD) as Mastodon, GoToSocial, Misskey, Pleroma, Akkoma, BookWyrm,
 * Pixelfed, PeerTube and Lemmy send it: one entry point per kind of document.
 */
export { normalizeActivity, type NormalizedActivity } from "./normalize-activity.ts";
export {
  normalizeObject,
  type NormalizedAttachment,
  type NormalizedObject,
  type NormalizedTag,
} from "./normalize-object.ts";
export {
  normalizeActor,
  type NormalizedActor,
  type NormalizedField,
  type NormalizedPublicKey,
} from "./normalize-actor.ts";
export type { ParseFailureReason, ParseResult } from "./parse-result.ts";
