import { constants, sign, verify } from "node:crypto";
import type { KeyObject } from "node:crypto";

/** The signature algorithms this layer signs and verifies with, named as in the RFC 9421 registry. */
export type SignatureAlgorithm = "rsa-v1_5-sha256" | "rsa-pss-sha512" | "ed25519";

/** Inputs of a one-shot signature check. */
export interface VerifyBytesParameters {
  readonly algorithm: SignatureAlgorithm;
  readonly key: KeyObject;
  readonly data: Uint8Array;
  readonly signature: Uint8Array;
}

/** Inputs of a one-shot signing operation. */
export interface SignBytesParameters {
  readonly algorithm: SignatureAlgorithm;
  readonly key: KeyObject;
  readonly data: Uint8Array;
}

/** Whether `key` is of a type that can produce or check `algorithm` signatures. */
export function keyFitsAlgorithm(key: KeyObject, algorithm: SignatureAlgorithm): boolean {
  const type = key.asymmetricKeyType;
  switch (algorithm) {
    case "rsa-v1_5-sha256":
      return type === "rsa";
    case "rsa-pss-sha512":
      return type === "rsa" || type === "rsa-pss";
    case "ed25519":
      return type === "ed25519";
  }
}

/**
 * The algorithms worth trying when the sender did not name one (or named
 * hs2019): an RSA key most likely signed PKCS#1 v1.5 with SHA-256, which is
 * what the fediverse means by hs2019, with RSA-PSS as the standard's reading.
 */
export function algorithmsForKey(key: KeyObject): readonly SignatureAlgorithm[] {
  switch (key.asymmetricKeyType) {
    case "rsa":
      return ["rsa-v1_5-sha256", "rsa-pss-sha512"];
    case "rsa-pss":
      return ["rsa-pss-sha512"];
    case "ed25519":
      return ["ed25519"];
    default:
      return [];
  }
}

/** The algorithm this layer signs with for a given private key; throws for unsupported key types. */
export function signingAlgorithmForKey(key: KeyObject): SignatureAlgorithm {
  const [algorithm] = algorithmsForKey(key);
  if (algorithm === undefined) {
    throw new TypeError(`Cannot sign with a ${key.asymmetricKeyType ?? "symmetric"} key`);
  }
  return algorithm;
}

/** Verifies a signature; a key of the wrong type or a garbled signature counts as not verified. */
export function verifyBytes(params: VerifyBytesParameters): boolean {
  const { algorithm, key, data, signature } = params;
  if (!keyFitsAlgorithm(key, algorithm)) return false;
  try {
    switch (algorithm) {
      case "rsa-v1_5-sha256":
        return verify("sha256", data, key, signature);
      case "rsa-pss-sha512":
        // Salt length is left to auto-detection: hs2019 senders do not agree on it.
        return verify(
          "sha512",
          data,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
          signature,
        );
      case "ed25519":
        return verify(null, data, key, signature);
    }
  } catch {
    return false;
  }
}

/** Signs data with the given algorithm. */
export function signBytes(params: SignBytesParameters): Buffer {
  const { algorithm, key, data } = params;
  if (!keyFitsAlgorithm(key, algorithm)) {
    throw new TypeError(`A ${key.asymmetricKeyType ?? "symmetric"} key cannot sign ${algorithm}`);
  }
  switch (algorithm) {
    case "rsa-v1_5-sha256":
      return sign("sha256", data, key);
    case "rsa-pss-sha512":
      // RFC 9421 section 3.3.1 fixes the salt at 64 bytes.
      return sign("sha512", data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 });
    case "ed25519":
      return sign(null, data, key);
  }
}
