/**
 * Uploaded files on local disk, under `<dataDir>/media/`. Files are named by
 * a minted id and the extension of their sniffed format, so a name is never
 * chosen by a client and a stored file's type is known from its name alone.
 */
import { mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { mintId } from "../../protocol/uris.ts";
import { MEDIA_BY_EXTENSION, type SniffedMedia } from "./media-type.ts";

/** The URL path files are served under. */
export const MEDIA_PATH = "/media";

const FILE_NAME = /^([0-9A-Z]{26})\.([a-z0-9]{2,5})$/;

/** Parameters of {@link saveMediaFile}. */
export interface SaveMediaFileParams {
  readonly dir: string;
  readonly bytes: Uint8Array;
  readonly media: SniffedMedia;
  readonly now: Date;
}

/** Writes a new file; returns its name. */
export async function saveMediaFile(params: SaveMediaFileParams): Promise<string> {
  await mkdir(params.dir, { recursive: true, mode: 0o755 });
  const name = `${mintId(params.now.getTime())}.${params.media.extension}`;
  // "wx": never overwrite, even if an id ever repeated.
  await writeFile(join(params.dir, name), params.bytes, { flag: "wx", mode: 0o644 });
  return name;
}

/** Parameters of {@link readMediaFile} and {@link removeMediaFile}. */
export interface MediaFileParams {
  readonly dir: string;
  /** As in the URL; anything that is not a name this server minted is refused. */
  readonly name: string;
}

/** A stored file and its type. */
export type ReadMediaFileResult =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly media: SniffedMedia }
  | { readonly ok: false; readonly reason: "notFound"; readonly message: string };

/** Reads a stored file by name. */
export async function readMediaFile(params: MediaFileParams): Promise<ReadMediaFileResult> {
  const notFound = { ok: false, reason: "notFound", message: "no such file" } as const;
  const match = FILE_NAME.exec(params.name);
  const media = match === null ? undefined : MEDIA_BY_EXTENSION.get(match[2]!);
  if (media === undefined) return notFound;
  try {
    return { ok: true, bytes: await readFile(join(params.dir, params.name)), media };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return notFound;
    throw error;
  }
}

/** Removes a stored file (an upload whose object could not be published). */
export async function removeMediaFile(params: MediaFileParams): Promise<void> {
  if (!FILE_NAME.test(params.name)) return;
  await unlink(join(params.dir, params.name)).catch(() => undefined);
}

/** Parameters of {@link mediaUrl}. */
export interface MediaUrlParams {
  readonly origin: string;
  readonly name: string;
}

/** The public URL of a stored file. */
export function mediaUrl(params: MediaUrlParams): string {
  return `${params.origin}${MEDIA_PATH}/${params.name}`;
}
