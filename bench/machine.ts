/**
 * The lines printed above the table: when the run happened, on what machine,
 * and the command that produced it, so a table copied into the README says
 * where its numbers come from.
 */
import { cpus, release, totalmem, type } from "node:os";

/** Parameters of {@link describeRun}. */
export interface DescribeRunParams {
  /** The arguments the bench was given, as typed after `npm run bench --`. */
  readonly args: readonly string[];
  readonly startedAt: Date;
  /** The command as typed, when a wrapper (bench/all.ts) added arguments of its own. */
  readonly command?: string;
}

/** Date, machine and command, one per line. */
export function describeRun(params: DescribeRunParams): string {
  const processors = cpus();
  const model = processors[0]?.model.replace(/\s+/g, " ").trim() ?? "unknown CPU";
  const memoryGiB = Math.round(totalmem() / 1024 ** 3);
  const command = params.command ?? (params.args.length === 0 ? "npm run bench" : `npm run bench -- ${params.args.join(" ")}`);
  return [
    `Date:    ${params.startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC`,
    `Machine: ${processors.length} × ${model}, ${memoryGiB} GiB RAM, ${type()} ${release()}, Node.js ${process.versions.node}`,
    `Command: ${command}`,
  ].join("\n");
}
