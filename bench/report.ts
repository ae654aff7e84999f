/**
 * The one table a run prints: for every workload and figure, each server's
 * median over the repetitions with its min–max, the ratio of the first
 * server's median to the second's, and, at the full sizes, the figure's
 * target with whether Outpost's median met it.
 */
import type { WorkloadSpec } from "./figures.ts";
import type { WorkloadName } from "./options.ts";
import type { Results } from "./results.ts";
import type { TargetName } from "./servers/target.ts";
import { spreadOf } from "./stats.ts";
import type { Spread } from "./stats.ts";
import { meetsTarget, targetOf, TARGET_MACHINE_SIGNATURES_PER_SECOND } from "./targets.ts";

/** A server as a column of the table. */
export interface ReportColumn {
  readonly name: TargetName;
  readonly label: string;
}

/** Parameters of {@link formatReport}. */
export interface FormatReportParams {
  readonly specs: Readonly<Record<WorkloadName, WorkloadSpec>>;
  readonly workloads: readonly WorkloadName[];
  readonly columns: readonly ReportColumn[];
  readonly results: Results;
  readonly reps: number;
  /**
   * The server (one of the columns) whose medians are held to the targets
   * (targets.ts); no Target column without one, as at sizes the targets were
   * not set for.
   */
  readonly targetsFor?: TargetName;
}

/** The table as text, then the notes, if any. */
export function formatReport(params: FormatReportParams): string {
  const { specs, columns, results } = params;
  const header = ["Workload", "Figure", ...columns.map((column) => column.label)];
  const ratioLabel = columns.length === 2 ? `${columns[0]!.label} ÷ ${columns[1]!.label}` : null;
  if (ratioLabel !== null) header.push(ratioLabel);
  const judged = columns.findIndex((column) => column.name === params.targetsFor);
  const targetLabel = params.targetsFor === undefined ? null : "Target";
  if (targetLabel !== null) header.push(targetLabel);
  const rows: string[][] = [];
  for (const workload of params.workloads) {
    const spec = specs[workload];
    spec.figures.forEach((figure, index) => {
      const spreads = columns.map((column) =>
        spreadOf({ values: results.values({ server: column.name, workload, figure: figure.key }) }),
      );
      const row = [index === 0 ? spec.title : "", `${figure.label} ${figure.better === "higher" ? "↑" : "↓"}`];
      row.push(...spreads.map((spread) => formatSpread(spread, params.reps)));
      if (ratioLabel !== null) row.push(formatRatio(spreads[0] ?? null, spreads[1] ?? null));
      if (targetLabel !== null) {
        const target = targetOf(workload, figure.key);
        row.push(target === undefined ? "" : formatTarget(target, figure.better, spreads[judged] ?? null));
      }
      rows.push(row);
    });
  }
  const widths = header.map((cell, i) => Math.max(width(cell), ...rows.map((row) => width(row[i] ?? ""))));
  const line = (cells: readonly string[]) => cells.map((cell, i) => pad(cell, widths[i]!, i >= 2)).join("  ").trimEnd();
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  const out = [line(header), rule];
  let previousTitle = "";
  for (const row of rows) {
    if (row[0] !== "" && previousTitle !== "") out.push("");
    if (row[0] !== "") previousTitle = row[0]!;
    out.push(line(row));
  }
  out.push(rule);
  out.push(
    params.reps === 1
      ? "One round. ↑ higher is better, ↓ lower is better."
      : `Median of ${params.reps} rounds, min–max in parentheses; n=k where only k rounds fitted the time budget. ↑ higher is better, ↓ lower is better.`,
  );
  if (targetLabel !== null) {
    const judge = columns[judged]?.label ?? params.targetsFor;
    out.push(
      `Target: what ${judge} must reach where one core signs about ${TARGET_MACHINE_SIGNATURES_PER_SECOND.toLocaleString("en-US")} RSA-2048 signatures/s; ✓ its median met it, ✗ it did not.`,
    );
  }
  const notes = results.notes();
  if (notes.length > 0) {
    out.push("", "Notes:");
    for (const note of notes) {
      const label = columns.find((column) => column.name === note.server)?.label ?? note.server;
      out.push(`- ${label}, ${specs[note.workload].title}: ${note.message}`);
    }
  }
  return out.join("\n");
}

/** Parameters of {@link formatNumber}. */
export interface FormatNumberParams {
  readonly value: number;
}

/** A figure with as many digits as it deserves: 12,345 · 123 · 12.3 · 1.23. */
export function formatNumber(params: FormatNumberParams): string {
  const { value } = params;
  if (!Number.isFinite(value)) return "n/a";
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return Math.round(value).toLocaleString("en-US");
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** `median (min–max)`; when fewer rounds than asked for got a value, how many did. */
function formatSpread(spread: Spread | null, reps: number): string {
  if (spread === null) return "n/a";
  const median = formatNumber({ value: spread.median });
  const count = spread.count < reps ? `n=${spread.count}` : null;
  if (spread.count === 1) return count === null ? median : `${median} (${count})`;
  const range = `${formatNumber({ value: spread.min })}–${formatNumber({ value: spread.max })}`;
  return `${median} (${count === null ? range : `${range}, ${count}`})`;
}

/** `≥ 4,000 ✓`: the target, on the side the figure counts, and whether the median met it. */
function formatTarget(target: number, better: "higher" | "lower", spread: Spread | null): string {
  const bound = `${better === "higher" ? "≥" : "≤"} ${target.toLocaleString("en-US")}`;
  if (spread === null) return bound;
  return `${bound} ${meetsTarget(spread.median, target, better) ? "✓" : "✗"}`;
}

function formatRatio(first: Spread | null, second: Spread | null): string {
  if (first === null || second === null || second.median === 0) return "n/a";
  return `${(first.median / second.median).toFixed(2)}×`;
}

/** Display width: every character here is one column wide. */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, size: number, right: boolean): string {
  const fill = " ".repeat(Math.max(0, size - width(text)));
  return right ? fill + text : text + fill;
}
