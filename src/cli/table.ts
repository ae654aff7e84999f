/** Plain-text tables for listings: left-aligned columns padded to their widest cell. */

/** A table to lay out. */
export interface TableParams {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Lays out a table with two spaces between columns; the last column is not padded. */
export function formatTable(params: TableParams): string {
  const lines = [params.header, ...params.rows];
  const widths = params.header.map((_, column) => Math.max(...lines.map((line) => (line[column] ?? "").length)));
  return lines
    .map((line) =>
      line
        .map((cell, column) => (column === line.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join("  "),
    )
    .join("\n");
}
