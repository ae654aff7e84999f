/**
 * Bearer secrets: tokens, authorization codes, client secrets. They are
 * random, carry a short prefix saying what they are (so a leaked one is
 * recognisable in logs and by secret scanners), and are stored only as a
 * SHA-256 digest: a database leak gives nothing that can be presented.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";

/** What a secret is, as its prefix says. */
export type SecretKind = "access" | "refresh" | "code" | "clientSecret";

const PREFIXES: Readonly<Record<SecretKind, string>> = {
  access: "opat_",
  refresh: "oprt_",
  code: "opac_",
  clientSecret: "opcs_",
};

/** Parameters of {@link newSecret}. */
export interface NewSecretParams {
  readonly kind: SecretKind;
}

/** A fresh secret with 256 random bits. */
export function newSecret(params: NewSecretParams): string {
  return PREFIXES[params.kind] + randomBytes(32).toString("base64url");
}

/** Parameters of {@link hashSecret}. */
export interface HashSecretParams {
  readonly secret: string;
}

/** The digest a secret is stored and looked up by (hex). Secrets are random, so no salt or stretching is needed. */
export function hashSecret(params: HashSecretParams): string {
  return createHash("sha256").update(params.secret, "utf8").digest("hex");
}

/** A new opaque record id. */
export function newRecordId(): string {
  return randomUUID();
}
