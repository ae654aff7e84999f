import { createPrivateKey, createPublicKey, generateKeyPair } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { createBoundedCache } from "./bounded-cache.ts";

/** A key pair as PEM text: SPKI for the public half, PKCS#8 for the private half. */
export interface KeyPairPem {
  readonly publicKeyPem: string;
  readonly privateKeyPem: string;
}

/** Why a PEM string could not be turned into a usable key. */
export type ParseKeyFailureReason = "malformed" | "unsupported";

/** Outcome of parsing a PEM key. */
export type ParseKeyResult<T> =
  | { readonly ok: true; readonly key: T }
  | { readonly ok: false; readonly reason: ParseKeyFailureReason; readonly message: string };

/** Key types that the signature schemes of this layer can sign and verify with. */
const SUPPORTED_KEY_TYPES: ReadonlySet<string> = new Set(["rsa", "rsa-pss", "ed25519"]);

/**
 * Remote actors' keys are looked up for every incoming activity, and the same
 * few thousand keys come back again and again, so parsed KeyObjects are kept.
 */
const KEY_CACHE_SIZE = 10_000;
const publicKeyCache = createBoundedCache<string, ParseKeyResult<KeyObject>>(KEY_CACHE_SIZE);
const privateKeyCache = createBoundedCache<string, ParseKeyResult<KeyObject>>(KEY_CACHE_SIZE);

/** Key pairs whose generation began before anyone asked for them; the next calls take these first. */
const generatedAhead: Promise<KeyPairPem>[] = [];

/**
 * Begins generating `count` RSA-2048 key pairs now, for the next calls of
 * {@link generateRsaKeyPair} to take. A key takes tens to hundreds of
 * milliseconds to generate (the search for primes varies), on one of libuv's
 * threads; a caller that knows keys will soon be needed can start them while
 * the main thread does other work, such as loading modules.
 */
export function generateRsaKeyPairsAhead(count: number): void {
  for (let index = 0; index < count; index++) {
    const pair = newRsaKeyPair();
    // A failure belongs to whoever takes the pair; one never taken must not end the process.
    pair.catch(() => undefined);
    generatedAhead.push(pair);
  }
}

/** How many key pairs begun by {@link generateRsaKeyPairsAhead} are still untaken. */
export function keyPairsGeneratedAhead(): number {
  return generatedAhead.length;
}

/** Generates an RSA-2048 key pair off the main thread, or hands out one begun ahead. */
export function generateRsaKeyPair(): Promise<KeyPairPem> {
  return generatedAhead.shift() ?? newRsaKeyPair();
}

function newRsaKeyPair(): Promise<KeyPairPem> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      "rsa",
      {
        modulusLength: 2048,
        publicExponent: 0x10001,
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
      },
      (error, publicKeyPem, privateKeyPem) => {
        if (error) reject(error);
        else resolve({ publicKeyPem, privateKeyPem });
      },
    );
  });
}

/**
 * Parses a public key PEM: SPKI ("PUBLIC KEY") or PKCS#1 ("RSA PUBLIC KEY"),
 * RSA, RSA-PSS or Ed25519. Results are cached by PEM text.
 */
export function parsePublicKey(pem: string): ParseKeyResult<KeyObject> {
  const cached = publicKeyCache.get(pem);
  if (cached !== undefined) return cached;
  const result = parseKey(pem, "public");
  publicKeyCache.set(pem, result);
  return result;
}

/** Parses a private key PEM (PKCS#8 or PKCS#1), RSA, RSA-PSS or Ed25519. Results are cached by PEM text. */
export function parsePrivateKey(pem: string): ParseKeyResult<KeyObject> {
  const cached = privateKeyCache.get(pem);
  if (cached !== undefined) return cached;
  const result = parseKey(pem, "private");
  privateKeyCache.set(pem, result);
  return result;
}

/**
 * Derives the SPKI public key PEM from a private key PEM.
 * Throws when the private key cannot be parsed.
 */
export function publicKeyPemFromPrivate(privateKeyPem: string): string {
  const parsed = parsePrivateKey(privateKeyPem);
  if (!parsed.ok) throw new Error(parsed.message);
  const exported = createPublicKey(parsed.key).export({ type: "spki", format: "pem" });
  return typeof exported === "string" ? exported : exported.toString("utf8");
}

/**
 * Accepts a private key as a KeyObject or PEM text and returns the KeyObject.
 * Throws a TypeError when the PEM cannot be used for signing.
 */
export function toPrivateKeyObject(privateKey: KeyObject | string): KeyObject {
  if (typeof privateKey !== "string") return privateKey;
  const parsed = parsePrivateKey(privateKey);
  if (!parsed.ok) throw new TypeError(parsed.message);
  return parsed.key;
}

function parseKey(pem: string, kind: "public" | "private"): ParseKeyResult<KeyObject> {
  const text = pem.trim();
  if (!text.startsWith("-----BEGIN ")) {
    return { ok: false, reason: "malformed", message: `The ${kind} key is not PEM text (no "-----BEGIN" line)` };
  }
  let key: KeyObject;
  try {
    key = kind === "public" ? createPublicKey(text) : createPrivateKey(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: "malformed", message: `The ${kind} key PEM could not be parsed: ${detail}` };
  }
  const type = key.asymmetricKeyType ?? "unknown";
  if (!SUPPORTED_KEY_TYPES.has(type)) {
    return {
      ok: false,
      reason: "unsupported",
      message: `The ${kind} key is of type ${type}; only RSA, RSA-PSS and Ed25519 keys are supported`,
    };
  }
  return { ok: true, key };
}
