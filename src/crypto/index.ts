/**
 * Keys, body digests and HTTP signatures (draft-cavage and RFC 9421) for
 * ActivityPub federation. Nothing here performs I/O beyond node:crypto; key
 * lookup is supplied by the caller.
 */
export { generateRsaKeyPair, parsePrivateKey, parsePublicKey, publicKeyPemFromPrivate, toPrivateKeyObject } from "./keys.ts";
export type { KeyPairPem, ParseKeyFailureReason, ParseKeyResult } from "./keys.ts";
export { contentDigestHeader, digestHeader, verifyContentDigestHeader, verifyDigestHeader } from "./digest.ts";
export type { Body, DigestCheck, DigestFailureReason } from "./digest.ts";
export { parseCavageSignature, signCavage } from "./http-signature-cavage.ts";
export type { ParsedCavage, ParseFailure, SignCavageParameters } from "./http-signature-cavage.ts";
export { parseRfc9421Signatures, signRfc9421 } from "./http-signature-rfc9421.ts";
export type { ParsedRfc9421, ParsedRfc9421Signature, SignRfc9421Parameters } from "./http-signature-rfc9421.ts";
export { signRequest, verifyRequest } from "./verify-request.ts";
export type {
  ResolvedKey,
  SignatureScheme,
  SignRequestParameters,
  VerifyFailureReason,
  VerifyRequestParameters,
  VerifyRequestResult,
} from "./verify-request.ts";
export type { SignatureAlgorithm } from "./signature-algorithms.ts";
