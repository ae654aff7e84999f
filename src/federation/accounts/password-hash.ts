/**
 * Password hashing with scrypt: memory-hard, so guessing costs memory as well
 * as time, with a random salt per password. The stored string names its
 * scheme, version and cost, so the cost can be raised later and old hashes
 * still verify (and are flagged for rehashing at the next login).
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/** scrypt cost as stored: N = 2^logN, block size r, parallelism p. */
export interface ScryptCost {
  readonly logN: number;
  readonly r: number;
  readonly p: number;
}

/** The cost new hashes get: N = 2^15 (32 MiB of memory per hash), r = 8, p = 1. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { logN: 15, r: 8, p: 1 };

const SCHEME = "scrypt";
const VERSION = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Bounds a stored cost may take, so a corrupt or planted hash cannot make verification eat the machine. */
const MAX_LOG_N = 20;
const MAX_R = 16;
const MAX_P = 4;

/** Parameters of {@link hashPassword}. */
export interface HashPasswordParams {
  readonly password: string;
  /** Default {@link DEFAULT_SCRYPT_COST}. */
  readonly cost?: ScryptCost;
}

/** A new hash string: `$scrypt$v=1$ln=15,r=8,p=1$<salt>$<key>` (base64url). */
export async function hashPassword(params: HashPasswordParams): Promise<string> {
  const cost = params.cost ?? DEFAULT_SCRYPT_COST;
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(params.password, salt, cost);
  return `$${SCHEME}$v=${VERSION}$ln=${cost.logN},r=${cost.r},p=${cost.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

/** Parameters of {@link verifyPassword}. */
export interface VerifyPasswordParams {
  readonly password: string;
  readonly hash: string;
  /** The cost current hashes should have; a weaker stored one is flagged. */
  readonly cost?: ScryptCost;
}

/** Whether the password matches, and whether its hash should be redone at today's cost. */
export type VerifyPasswordResult =
  | { readonly ok: true; readonly needsRehash: boolean }
  | { readonly ok: false; readonly reason: "mismatch" | "malformedHash"; readonly message: string };

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(params: VerifyPasswordParams): Promise<VerifyPasswordResult> {
  const parsed = parseHash(params.hash);
  if (parsed === null) return { ok: false, reason: "malformedHash", message: "the stored password hash is not one this server reads" };
  const key = await derive(params.password, parsed.salt, parsed.cost);
  if (key.length !== parsed.key.length || !timingSafeEqual(key, parsed.key)) {
    return { ok: false, reason: "mismatch", message: "wrong password" };
  }
  const wanted = params.cost ?? DEFAULT_SCRYPT_COST;
  const needsRehash = parsed.cost.logN < wanted.logN || parsed.cost.r < wanted.r || parsed.cost.p < wanted.p;
  return { ok: true, needsRehash };
}

interface ParsedHash {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

function parseHash(hash: string): ParsedHash | null {
  const match = /^\$scrypt\$v=1\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{32,})$/.exec(hash);
  if (match === null) return null;
  const cost = { logN: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  if (cost.logN < 1 || cost.logN > MAX_LOG_N || cost.r < 1 || cost.r > MAX_R || cost.p < 1 || cost.p > MAX_P) return null;
  return { cost, salt: Buffer.from(match[4]!, "base64url"), key: Buffer.from(match[5]!, "base64url") };
}

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.logN;
  const options: ScryptOptions = { N, r: cost.r, p: cost.p, maxmem: 128 * N * cost.r * cost.p + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, KEY_BYTES, options, (error, key) => (error === null ? resolve(key) : reject(error)));
  });
}
