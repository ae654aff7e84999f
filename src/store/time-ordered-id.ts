/**
 * Ids that sort by creation time (UUID version 7, RFC 9562): 48 bits of
 * Unix milliseconds, then random bits. A primary key minted this way grows at
 * the end of its index, so inserting a row writes the index's last page;
 * random (version 4) UUIDs spread a busy queue's inserts over the whole
 * index, one page write each.
 */
import * as nodeCrypto from "node:crypto";

/** Node's own version 7 generator, where this Node has one. */
const nativeV7 = (nodeCrypto as { randomUUIDv7?: () => string }).randomUUIDv7;

/** A new UUIDv7 string, e.g. `019a4e6c-5f1b-7c3a-9d2e-4b8f0a1c2d3e`. */
export function timeOrderedId(): string {
  return nativeV7 !== undefined ? nativeV7() : formatUuidV7(Date.now(), nodeCrypto.randomBytes(16));
}

/** The UUIDv7 of a time in Unix milliseconds, filled with 16 bytes of which the first 6 are replaced by the time. */
export function formatUuidV7(unixMs: number, random: Uint8Array): string {
  const bytes = Buffer.from(random.subarray(0, 16));
  if (bytes.length !== 16) throw new RangeError("a UUID needs 16 random bytes");
  bytes.writeUIntBE(Math.floor(unixMs) % 2 ** 48, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
