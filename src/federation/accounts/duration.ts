/** Durations as people type them: `90m`, `12h`, `30d`, `2w`. */

const UNITS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** The longest duration accepted: ten years, far beyond any sensible token lifetime. */
const MAX_MS = 3650 * 86_400_000;

/** Parameters of {@link parseDuration}. */
export interface ParseDurationParams {
  readonly text: string;
}

/** The duration in milliseconds, or why the text is not one. */
export type ParseDurationResult =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly reason: "invalidDuration"; readonly message: string };

/** Parses `<number><unit>` with unit s, m, h, d or w. */
export function parseDuration(params: ParseDurationParams): ParseDurationResult {
  const match = /^\s*(\d{1,6})\s*([smhdw])\s*$/i.exec(params.text);
  const unit = match === null ? undefined : UNITS[match[2]!.toLowerCase()];
  if (match === null || unit === undefined) {
    return { ok: false, reason: "invalidDuration", message: `"${params.text.slice(0, 32)}" is not a duration like 90m, 12h, 30d or 2w` };
  }
  const ms = Number(match[1]) * unit;
  if (ms <= 0 || ms > MAX_MS) {
    return { ok: false, reason: "invalidDuration", message: "a duration must be more than zero and at most 3650d" };
  }
  return { ok: true, ms };
}
