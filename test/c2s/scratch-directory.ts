/**
 * A temporary working directory for a test file. An instance keeps uploads
 * under "./data/media", relative to the working directory, so a test that
 * uploads runs elsewhere than the checkout and removes what it wrote.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The directory entered, and how to leave it. */
export interface ScratchDirectory {
  readonly path: string;
  /** Goes back to the former working directory and removes the scratch one. */
  leave(): Promise<void>;
}

/** Parameters of {@link enterScratchDirectory}. */
export interface EnterScratchDirectoryParams {
  /** Part of the directory's name. */
  readonly name: string;
}

/** Makes a fresh temporary directory the process's working directory. */
export async function enterScratchDirectory(params: EnterScratchDirectoryParams): Promise<ScratchDirectory> {
  const former = process.cwd();
  const path = await mkdtemp(join(tmpdir(), `outpost-${params.name}-`));
  process.chdir(path);
  let left = false;
  return {
    path,
    async leave() {
      if (left) return;
      left = true;
      process.chdir(former);
      await rm(path, { recursive: true, force: true });
    },
  };
}
