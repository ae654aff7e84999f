/**
 * Keys, body digests and HTTP signatures (draft-cavage and RFC 9421) for
 * ActivityPub federation. Nothing here performs I/O beyond node:crypto; key
 * lookup is supplied by the caller.
 */
export { generateRsaKeyPair, parsePrivateKey, parsePublicKey, publicKeyPemFromPrivate, toPrivateKeyObject } from "./keys.ts";
export type { KeyPairPem, ParseKeyFailureReason, ParseKeyResult } from "./keys.ts";
export { contentDigestHeader, digestHeader, verifyContentDigestHeader, verifyDigestHeader } from "./digest.ts";
export type { Body, DigestCheck, DigestFailureReason } from "./digest.ts";
export { parseCavageSignature, planCavageSignature, signCavage } from "./http-signature-cavage.ts";
export type { ParsedCavage, ParseFailure, PlanCavageParameters, SignCavageParameters } from "./http-signature-cavage.ts";
export { parseRfc9421Signatures, planRfc9421Signature, signRfc9421 } from "./http-signature-rfc9421.ts";
export type { ParsedRfc9421, ParsedRfc9421Signature, PlanRfc9421Parameters, SignRfc9421Parameters } from "./http-signature-rfc9421.ts";
export { planRequestSignature, signRequest, verifyRequest } from "./verify-request.ts";
export type { SigningPlan } from "./signing-plan.ts";
export type {
  PlanRequestSignatureParameters,
  ResolvedKey,
  SignatureScheme,
  SignRequestParameters,
  VerifyFailureReason,
  VerifyRequestParameters,
  VerifyRequestResult,
} from "./verify-request.ts";
export { signBytes, signingAlgorithmForKey } from "./signature-algorithms.ts";
export type { SignatureAlgorithm } from "./signature-algorithms.ts";
