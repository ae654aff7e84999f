/**
 * Limits of a local actor's profile, shared by profile updates and actor
 * declarations; apart from both so that checking a declaration at start does
 * not load the outbox.
 */

/** Most profile fields, as Mastodon shows them. */
export const MAX_PROFILE_FIELDS = 16;
