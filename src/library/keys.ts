/**
 * Key pairs for declared actors. A site that runs Outpost on several
 * machines, or rebuilds its database, must keep signing with the same key:
 * remote servers pin an actor's key, and a new one makes every follower's
 * server reject its deliveries until it refetches the actor. So keys can be
 * generated once, exported, kept as a secret and loaded again; they are never
 * replaced silently.
 */
import { createPrivateKey, createPublicKey, generateKeyPair as generateNodeKeyPair, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parsePrivateKey, type KeyPairPem } from "../crypto/keys.ts";

export type { KeyPairPem };

/** A key pair as Node key objects. */
export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** Where a declared actor's key comes from: a pair, PEM text of the private key, or a file holding it. */
export type KeyInput = KeyPair | KeyPairPem | { readonly pem: string } | { readonly file: string };

/** Why a key could not be used. */
export type KeyErrorReason = "missing" | "malformed" | "unsupported" | "keyMismatch";

/** Parameters of {@link KeyError}'s constructor. */
export interface KeyErrorParams {
  readonly reason: KeyErrorReason;
  readonly message: string;
  readonly cause?: unknown;
}

/** A key that is missing, unreadable, of the wrong kind, or not the one already in use. */
export class KeyError extends Error {
  readonly reason: KeyErrorReason;

  constructor(params: KeyErrorParams) {
    super(params.message, params.cause === undefined ? undefined : { cause: params.cause });
    this.name = "KeyError";
    this.reason = params.reason;
  }
}

/** Generates an RSA-2048 key pair (what Mastodon-compatible servers expect), off the main thread. */
export function generateKeyPair(): Promise<KeyPair> {
  return new Promise((resolve, reject) => {
    generateNodeKeyPair("rsa", { modulusLength: 2048, publicExponent: 0x10001 }, (error, publicKey, privateKey) => {
      if (error) reject(error);
      else resolve({ publicKey, privateKey });
    });
  });
}

/** The pair as PEM text: PKCS#8 private half, SPKI public half — what {@link loadKeyPair} reads back. */
export function exportKeyPairPem(pair: KeyPair): KeyPairPem {
  return {
    privateKeyPem: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

/** Parameters of {@link loadKeyPair}: PEM text of a private key, or a file holding it. */
export type LoadKeyPairParams = { readonly pem: string } | { readonly file: string };

/**
 * Reads a private key (PKCS#8 "PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY") and
 * derives its public half. Throws a {@link KeyError}: `missing` when the file
 * does not exist or the text is empty, `malformed` when it is not a private
 * key PEM, `unsupported` for key types servers cannot verify.
 */
export async function loadKeyPair(params: LoadKeyPairParams): Promise<KeyPair> {
  if ("file" in params) {
    let text: string;
    try {
      text = await readFile(params.file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new KeyError({
        reason: "missing",
        message:
          code === "ENOENT"
            ? `There is no key file at ${params.file}. Create one with exportKeyPairPem(await generateKeyPair()).privateKeyPem, or leave the key out to have one generated and kept in the store.`
            : `The key file ${params.file} cannot be read: ${(error as Error).message}`,
        cause: error,
      });
    }
    return pairFromPem(text, `the key file ${params.file}`);
  }
  return pairFromPem(params.pem, "the key PEM");
}

/** Parameters of {@link resolveKeyInput}. */
export interface ResolveKeyInputParams {
  readonly key: KeyInput;
}

/** Any {@link KeyInput} as PEM text, checked. Throws a {@link KeyError} as {@link loadKeyPair} does. */
export async function resolveKeyInput(params: ResolveKeyInputParams): Promise<KeyPairPem> {
  const { key } = params;
  if ("privateKey" in key) {
    if (key.privateKey.type !== "private") {
      throw new KeyError({ reason: "malformed", message: "The key pair's privateKey is not a private key" });
    }
    return exportKeyPairPem({ privateKey: key.privateKey, publicKey: createPublicKey(key.privateKey) });
  }
  if ("privateKeyPem" in key) return exportKeyPairPem(pairFromPem(key.privateKeyPem, "the key pair's privateKeyPem"));
  return exportKeyPairPem(await loadKeyPair(key));
}

/** Parameters of {@link samePublicKey}. */
export interface SamePublicKeyParams {
  readonly a: string;
  readonly b: string;
}

/** Whether two public key PEMs are the same key, whatever their encoding (SPKI or PKCS#1) and line endings. */
export function samePublicKey(params: SamePublicKeyParams): boolean {
  try {
    const der = (pem: string) => createPublicKey(pem).export({ type: "spki", format: "der" });
    return der(params.a).equals(der(params.b));
  } catch {
    return false;
  }
}

function pairFromPem(text: string, what: string): KeyPair {
  if (text.trim() === "") throw new KeyError({ reason: "missing", message: `${what} is empty` });
  if (/-----BEGIN (RSA )?PUBLIC KEY-----/.test(text) && !/PRIVATE KEY-----/.test(text)) {
    throw new KeyError({ reason: "malformed", message: `${what} holds a public key; Outpost needs the private key (it derives the public one)` });
  }
  const parsed = parsePrivateKey(text);
  if (!parsed.ok) throw new KeyError({ reason: parsed.reason, message: `${what}: ${parsed.message}` });
  // Reparsed so the caller owns a key object the parse cache does not share.
  const privateKey = createPrivateKey(text.trim());
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
