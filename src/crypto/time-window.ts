import { failure } from "./signature-failure.ts";
import type { StepResult } from "./signature-failure.ts";

/** Inputs of a clock-skew check. */
export interface TimeWindowParameters {
  /** What the timestamp is, as it should read in a message ("Date header"). */
  readonly subject: string;
  readonly timestampMs: number;
  readonly nowMs: number;
  readonly maxPastSeconds: number;
  readonly maxFutureSeconds: number;
}

/** Checks that a timestamp lies within the accepted window around now. */
export function checkTimeWindow(params: TimeWindowParameters): StepResult<"dateOutOfWindow"> {
  const { subject, timestampMs, nowMs, maxPastSeconds, maxFutureSeconds } = params;
  const skewSeconds = (nowMs - timestampMs) / 1000;
  if (skewSeconds > maxPastSeconds) {
    return failure(
      "dateOutOfWindow",
      `${subject} is ${formatDuration(skewSeconds)} in the past; the accepted window is ${formatDuration(maxPastSeconds)}`,
    );
  }
  if (-skewSeconds > maxFutureSeconds) {
    return failure(
      "dateOutOfWindow",
      `${subject} is ${formatDuration(-skewSeconds)} in the future; the accepted window is ${formatDuration(maxFutureSeconds)}`,
    );
  }
  return { ok: true };
}

/** Parses an HTTP date (IMF-fixdate, or the obsolete forms) into epoch milliseconds, or null. */
export function parseHttpDate(value: string): number | null {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** Formats an IMF-fixdate, the form HTTP requires in Date headers. */
export function formatHttpDate(date: Date): string {
  return date.toUTCString();
}

/** Renders a duration the way a person would say it: "45 seconds", "5 minutes", "2 hours", "3 days". */
export function formatDuration(seconds: number): string {
  const s = Math.round(Math.abs(seconds));
  if (s >= 2 * 86_400) return plural(Math.round(s / 86_400), "day");
  if (s >= 2 * 3_600 || (s >= 3_600 && s % 3_600 === 0)) return plural(Math.round(s / 3_600), "hour");
  if (s >= 2 * 60 || (s >= 60 && s % 60 === 0)) return plural(Math.round(s / 60), "minute");
  return plural(s, "second");
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}
