/**
 * The one error type commands throw for problems the user can fix: it carries
 * the exit code and a message worth printing, and is shown without a stack
 * trace (unless `--verbose`). Anything else is a bug and is shown in full.
 */

/** Exit codes: 1 for a failed operation, 2 for bad usage or configuration. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export type CliErrorReason =
  | "invalidConfig"
  | "invalidArgument"
  | "notFound"
  | "rejected"
  | "notConfirmed"
  | "deliveryFailed";

/** What {@link CliError} is built from. */
export interface CliErrorParams {
  readonly reason: CliErrorReason;
  readonly message: string;
  readonly exitCode?: number;
  readonly cause?: unknown;
}

/** A user-facing failure of a command. */
export class CliError extends Error {
  readonly reason: CliErrorReason;
  readonly exitCode: number;

  constructor(params: CliErrorParams) {
    super(params.message, { cause: params.cause });
    this.name = "CliError";
    this.reason = params.reason;
    const usage = params.reason === "invalidConfig" || params.reason === "invalidArgument";
    this.exitCode = params.exitCode ?? (usage ? EXIT_USAGE : EXIT_FAILURE);
  }
}
