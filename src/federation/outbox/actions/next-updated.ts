/**
 * The `updated` time of an edit. Servers keep an edit only when its `updated`
 * is newer than the version they hold (Mastodon drops an Update that is not),
 * so two edits in the same millisecond, or a clock that stepped back, must
 * still produce strictly increasing times.
 */

/** Parameters of {@link nextUpdated}. */
export interface NextUpdatedParams {
  readonly now: Date;
  /** The post's current `updated`, or null when it was never edited. */
  readonly updated: string | null;
  /** The post's `published`. */
  readonly published: string | null;
}

/** `now`, or one millisecond after the newest earlier time when `now` is not after it. */
export function nextUpdated(params: NextUpdatedParams): string {
  let latest = Number.NEGATIVE_INFINITY;
  for (const time of [params.updated, params.published]) {
    if (time === null) continue;
    const ms = Date.parse(time);
    if (!Number.isNaN(ms)) latest = Math.max(latest, ms);
  }
  const now = params.now.getTime();
  return new Date(now > latest ? now : latest + 1).toISOString();
}
