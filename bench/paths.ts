/** Where the bench keeps its files: `.bench/` at the repository root, git-ignored. */
import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Caches that outlive a run (the key pool, seeds) and each run's scratch data. */
export const BENCH_DIR = join(REPO_ROOT, ".bench");
