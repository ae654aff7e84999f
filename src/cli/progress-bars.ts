/**
 * cli-progress, loaded the first time a bar is drawn. Commands register at
 * start, `outpost serve` among them, and most never draw a bar: loading the
 * library and the terminal-width packages behind it only when one is wanted
 * keeps them off the server's start.
 */
import { createRequire } from "node:module";
import type cliProgress from "cli-progress";

const require = createRequire(import.meta.url);
let loaded: typeof cliProgress | undefined;

/** The cli-progress module. */
export function progressBars(): typeof cliProgress {
  loaded ??= require("cli-progress") as typeof cliProgress;
  return loaded;
}
