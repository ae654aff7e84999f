/**
 * What an uploaded file is, read from its first bytes: the type a client
 * declares is not trusted, since serving a file under a type it does not
 * have (HTML or SVG as an image, say) would let an upload run script on
 * this origin. Only formats that cannot carry script are accepted.
 */

/** An accepted format. */
export interface SniffedMedia {
  readonly mediaType: string;
  /** File extension, without the dot. */
  readonly extension: string;
  /** The ActivityStreams type of an object showing it. */
  readonly objectType: "Image" | "Video" | "Audio";
}

/** Every accepted format by extension, for serving stored files. */
export const MEDIA_BY_EXTENSION: ReadonlyMap<string, SniffedMedia> = new Map(
  (
    [
      ["image/png", "png", "Image"],
      ["image/jpeg", "jpg", "Image"],
      ["image/gif", "gif", "Image"],
      ["image/webp", "webp", "Image"],
      ["image/avif", "avif", "Image"],
      ["video/mp4", "mp4", "Video"],
      ["video/webm", "webm", "Video"],
      ["audio/mpeg", "mp3", "Audio"],
      ["audio/mp4", "m4a", "Audio"],
      ["audio/ogg", "ogg", "Audio"],
      ["audio/flac", "flac", "Audio"],
      ["audio/wav", "wav", "Audio"],
    ] as const
  ).map(([mediaType, extension, objectType]) => [extension, { mediaType, extension, objectType }]),
);

/** Parameters of {@link sniffMediaType}. */
export interface SniffMediaTypeParams {
  readonly bytes: Uint8Array;
}

/** The format, or a refusal naming what is accepted. */
export type SniffMediaTypeResult =
  | ({ readonly ok: true } & SniffedMedia)
  | { readonly ok: false; readonly reason: "unsupportedMediaType"; readonly message: string };

/** Recognises a file by its magic bytes. */
export function sniffMediaType(params: SniffMediaTypeParams): SniffMediaTypeResult {
  const extension = extensionOf(params.bytes);
  const media = extension === null ? undefined : MEDIA_BY_EXTENSION.get(extension);
  if (media === undefined) {
    return {
      ok: false,
      reason: "unsupportedMediaType",
      message: `the file is not one of the accepted formats (${[...MEDIA_BY_EXTENSION.values()].map((m) => m.mediaType).join(", ")})`,
    };
  }
  return { ok: true, ...media };
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

function extensionOf(bytes: Uint8Array): string | null {
  if (bytes.length < 12) return null;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpg";
  if (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a") return "gif";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") return "webp";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WAVE") return "wav";
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return "webm";
  if (ascii(bytes, 0, 4) === "OggS") return "ogg";
  if (ascii(bytes, 0, 4) === "fLaC") return "flac";
  if (ascii(bytes, 0, 3) === "ID3") return "mp3";
  // An MPEG audio frame: 11 sync bits, then a layer that is not "reserved".
  if (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0 && ((bytes[1] ?? 0) & 0x06) !== 0) return "mp3";
  if (ascii(bytes, 4, 4) === "ftyp") {
    const brand = ascii(bytes, 8, 4);
    if (brand === "avif" || brand === "avis") return "avif";
    if (brand === "M4A ") return "m4a";
    // QuickTime and HEIF share the container but are not formats accepted here.
    if (brand === "qt  " || brand.startsWith("hei") || brand.startsWith("mif") || brand.startsWith("msf")) return null;
    return "mp4";
  }
  return null;
}
