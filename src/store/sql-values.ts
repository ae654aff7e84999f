/**
 * Conversions between record values and the portable column types of
 * {@link Database}: booleans as 0/1, JSON as text, counts and seqs that
 * PostgreSQL returns as strings (bigint) and SQLite as numbers.
 */

/** A boolean as the 0/1 integer stored for it. */
export function toFlag(value: boolean): number {
  return value ? 1 : 0;
}

/** A stored 0/1 integer as a boolean. */
export function fromFlag(value: number | string | bigint): boolean {
  return Number(value) !== 0;
}

/** A value as the JSON text stored for it; `undefined` is stored as null. */
export function toJson(value: unknown): string {
  return JSON.stringify(value) ?? "null";
}

/** Stored JSON text back as a value. */
export function fromJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** A COUNT(*) or similar aggregate as a number, whichever type the driver gave. */
export function toCount(value: number | string | bigint | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}
