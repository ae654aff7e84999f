import assert from "node:assert/strict";
import { test } from "node:test";
import { sniffMediaType } from "./media-type.ts";

function bytes(...parts: (string | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const part of parts) out.push(...(typeof part === "string" ? [...part].map((c) => c.charCodeAt(0)) : part));
  while (out.length < 16) out.push(0);
  return Uint8Array.from(out);
}

test("formats are recognised by their magic bytes", () => {
  const cases: [Uint8Array, string, string][] = [
    [bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), "image/png", "Image"],
    [bytes([0xff, 0xd8, 0xff, 0xe0]), "image/jpeg", "Image"],
    [bytes("GIF89a"), "image/gif", "Image"],
    [bytes("RIFF", [1, 2, 3, 4], "WEBPVP8 "), "image/webp", "Image"],
    [bytes([0, 0, 0, 0x20], "ftypisom"), "video/mp4", "Video"],
    [bytes([0, 0, 0, 0x1c], "ftypavif"), "image/avif", "Image"],
    [bytes([0x1a, 0x45, 0xdf, 0xa3]), "video/webm", "Video"],
    [bytes("ID3", [4, 0]), "audio/mpeg", "Audio"],
    [bytes([0xff, 0xfb, 0x90, 0x64]), "audio/mpeg", "Audio"],
    [bytes("OggS"), "audio/ogg", "Audio"],
  ];
  for (const [input, mediaType, objectType] of cases) {
    const sniffed = sniffMediaType({ bytes: input });
    assert.equal(sniffed.ok && sniffed.mediaType, mediaType);
    assert.equal(sniffed.ok && sniffed.objectType, objectType);
  }
});

test("script-capable and unknown files are refused, whatever they claim to be", () => {
  for (const input of [
    bytes("<svg xmlns='http://www.w3.org/2000/svg'>"),
    bytes("<!DOCTYPE html><script>"),
    bytes("%PDF-1.7"),
    bytes([0, 0, 0, 0x14], "ftypqt  "),
    bytes([0, 0, 0, 0x18], "ftypheic"),
    Uint8Array.from([0x89, 0x50]),
  ]) {
    const sniffed = sniffMediaType({ bytes: input });
    assert.equal(!sniffed.ok && sniffed.reason, "unsupportedMediaType");
  }
});
