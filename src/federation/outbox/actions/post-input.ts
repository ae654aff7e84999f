/**
 * Bounds on what a user may post. Remote servers truncate or refuse what
 * they consider too long, and a post is copied to every follower's server, so
 * the limits are checked before anything is stored or sent.
 */
import { refuse, type ActionFailure } from "./action-result.ts";

/** Longest post body, in characters (code points). */
export const MAX_POST_CHARS = 5000;

/** Longest content warning, in characters. */
export const MAX_SUMMARY_CHARS = 500;

// A BCP 47 tag as servers accept it: a primary language subtag and optional subtags.
const LANGUAGE_TAG = /^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/i;

/** Why the input cannot be posted. */
export type PostInputReason = "emptyText" | "textTooLong" | "summaryTooLong" | "invalidLanguage";

/** Parameters of {@link checkPostInput}. */
export interface PostInputParams {
  readonly text: string;
  readonly summary?: string;
  readonly language?: string;
}

/** A refusal when the text, content warning or language cannot be posted, else null. */
export function checkPostInput(params: PostInputParams): ActionFailure<PostInputReason> | null {
  if (params.text.trim() === "") return refuse({ reason: "emptyText", message: "a post needs some text" });
  const length = [...params.text].length;
  if (length > MAX_POST_CHARS) {
    return refuse({ reason: "textTooLong", message: `the text has ${length} characters; at most ${MAX_POST_CHARS} are allowed` });
  }
  if (params.summary !== undefined && [...params.summary].length > MAX_SUMMARY_CHARS) {
    return refuse({ reason: "summaryTooLong", message: `a content warning may have at most ${MAX_SUMMARY_CHARS} characters` });
  }
  if (params.language !== undefined && !LANGUAGE_TAG.test(params.language)) {
    return refuse({ reason: "invalidLanguage", message: `"${params.language}" is not a language tag such as "en" or "pt-BR"` });
  }
  return null;
}
