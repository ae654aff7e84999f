import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { crashRetryAt, MAX_CRASH_ATTEMPTS } from "./crash-backoff.ts";

const now = new Date("2025-03-01T00:00:00Z");

describe("crashRetryAt", () => {
  const table: { attempts: number; delayMs: number | null }[] = [
    { attempts: 0, delayMs: 10_000 },
    { attempts: 1, delayMs: 20_000 },
    { attempts: 4, delayMs: 160_000 },
    { attempts: 8, delayMs: 2_560_000 },
    { attempts: MAX_CRASH_ATTEMPTS - 1, delayMs: null },
    { attempts: MAX_CRASH_ATTEMPTS + 5, delayMs: null },
  ];
  for (const row of table) {
    it(`after ${row.attempts} earlier attempt(s) retries in ${row.delayMs ?? "never"}`, () => {
      const at = crashRetryAt({ attempts: row.attempts, now });
      assert.equal(at === null ? null : at.getTime() - now.getTime(), row.delayMs);
    });
  }
});
