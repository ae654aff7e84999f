import type { KeyObject } from "node:crypto";
import { contentDigestHeader } from "./digest.ts";
import type { SignCavageParameters } from "./http-signature-cavage.ts";
import { toPrivateKeyObject } from "./keys.ts";
import { algorithmsForKey, keyFitsAlgorithm, signBytes, signingAlgorithmForKey, verifyBytes } from "./signature-algorithms.ts";
import type { SignatureAlgorithm } from "./signature-algorithms.ts";
import { failure } from "./signature-failure.ts";
import type { ParseFailure, StepResult, VerifyFailure } from "./signature-failure.ts";
import type { SigningPlan } from "./signing-plan.ts";
import { parseDictionary, serializeInnerList, serializeItem } from "./structured-fields.ts";
import type { BareItem, SfInnerList, SfItem } from "./structured-fields.ts";

/** What a signer needs to sign an outgoing request with RFC 9421. */
export interface SignRfc9421Parameters extends SignCavageParameters {
  /** Dictionary key under which the signature is sent; defaults to `sig1`. */
  readonly label?: string;
}

/** One signature from a request's `Signature-Input` and `Signature` fields. */
export interface ParsedRfc9421Signature {
  readonly label: string;
  /** The covered components with the signature parameters, as sent. */
  readonly components: SfInnerList;
  /** Covered component names (`@method`, `content-digest`, ...), in order. */
  readonly componentNames: readonly string[];
  readonly keyId: string | null;
  readonly algorithm: string | null;
  /** `created` parameter in Unix seconds, or null. */
  readonly created: number | null;
  /** `expires` parameter in Unix seconds, or null. */
  readonly expires: number | null;
  readonly signature: Uint8Array;
}

/** All signatures of a request, in `Signature-Input` order. */
export interface ParsedRfc9421 {
  readonly ok: true;
  readonly signatures: readonly ParsedRfc9421Signature[];
}

/** Inputs for rebuilding a signature base. */
export interface Rfc9421SignatureBaseParameters {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  /** Covered components with the signature parameters. */
  readonly components: SfInnerList;
}

/** The signature base, or why it cannot be built from this request. */
export type Rfc9421SignatureBaseResult =
  | { readonly ok: true; readonly data: Buffer }
  | VerifyFailure<"missingSignedHeader" | "malformedSignature">;

/** Inputs of the cryptographic check of an RFC 9421 signature. */
export interface VerifyRfc9421Parameters {
  readonly signature: ParsedRfc9421Signature;
  /** The signature base from {@link rfc9421SignatureBase}. */
  readonly data: Uint8Array;
  readonly publicKey: KeyObject;
}

/** The algorithm an `alg` parameter names; null means "decided by the key type". */
export type Rfc9421AlgorithmResult =
  | { readonly ok: true; readonly algorithm: SignatureAlgorithm | null }
  | VerifyFailure<"unsupportedAlgorithm">;

const LABEL = /^[a-z*][a-z0-9_\-.*]*$/;
const ALGORITHMS: ReadonlySet<string> = new Set<SignatureAlgorithm>(["rsa-v1_5-sha256", "rsa-pss-sha512", "ed25519"]);

/** What {@link planRfc9421Signature} needs: a signer's inputs with the algorithm instead of the key. */
export interface PlanRfc9421Parameters extends Omit<SignRfc9421Parameters, "privateKey"> {
  /** The algorithm the private key signs with (see `signingAlgorithmForKey`). */
  readonly algorithm: SignatureAlgorithm;
}

/**
 * Signs a request with RFC 9421 over `"@method" "@target-uri" "@authority"`
 * and, when a body is given, `"content-digest"` (the Content-Digest header is
 * added). Returns a new Headers object with `Signature-Input` and `Signature`.
 */
export function signRfc9421(params: SignRfc9421Parameters): Headers {
  const key = toPrivateKeyObject(params.privateKey);
  const plan = planRfc9421Signature({ ...params, algorithm: signingAlgorithmForKey(key) });
  return plan.complete(signBytes({ algorithm: plan.algorithm, key, data: plan.data }));
}

/**
 * Everything of {@link signRfc9421} except the private-key operation: the
 * headers to send and the signature base, for signing elsewhere.
 */
export function planRfc9421Signature(params: PlanRfc9421Parameters): SigningPlan {
  const label = params.label ?? "sig1";
  if (!LABEL.test(label)) throw new TypeError(`"${label}" is not a valid signature label`);
  const url = new URL(params.url);
  const headers = new Headers(params.headers);
  const covered = ["@method", "@target-uri", "@authority"];
  if (params.body !== undefined && params.body !== null) {
    headers.set("content-digest", contentDigestHeader(params.body));
    covered.push("content-digest");
  }
  const { algorithm } = params;
  const created = Math.floor((params.now ?? new Date()).getTime() / 1000);
  const components: SfInnerList = {
    kind: "innerList",
    items: covered.map((name): SfItem => ({ kind: "item", value: { type: "string", value: name }, params: new Map() })),
    params: new Map<string, BareItem>([
      ["created", { type: "integer", value: created }],
      ["keyid", { type: "string", value: params.keyId }],
      ["alg", { type: "string", value: algorithm }],
    ]),
  };
  const base = rfc9421SignatureBase({ method: params.method, url, headers, components });
  if (!base.ok) throw new Error(base.message);
  return {
    headers,
    algorithm,
    data: base.data,
    complete(signature) {
      headers.set("signature-input", `${label}=${serializeInnerList(components)}`);
      headers.set("signature", `${label}=:${Buffer.from(signature).toString("base64")}:`);
      return headers;
    },
  };
}

/** Parses the `Signature-Input` and `Signature` fields into the signatures they carry. */
export function parseRfc9421Signatures(signatureInput: string, signature: string): ParsedRfc9421 | ParseFailure {
  const inputs = parseDictionary(signatureInput);
  if (!inputs.ok) return failure("malformedSignature", `Signature-Input header is malformed: ${inputs.message}`);
  const values = parseDictionary(signature);
  if (!values.ok) return failure("malformedSignature", `Signature header is malformed: ${values.message}`);
  if (inputs.value.size === 0) return failure("malformedSignature", "Signature-Input header is empty");

  const signatures: ParsedRfc9421Signature[] = [];
  for (const [label, member] of inputs.value) {
    if (member.kind !== "innerList") {
      return failure("malformedSignature", `Signature-Input ${label} is not a list of components`);
    }
    const componentNames: string[] = [];
    for (const item of member.items) {
      if (item.value.type !== "string") {
        return failure("malformedSignature", `Signature-Input ${label} lists a component that is not a string`);
      }
      componentNames.push(item.value.value);
    }
    const value = values.value.get(label);
    if (value === undefined) return failure("malformedSignature", `Signature header has no ${label} entry`);
    if (value.kind !== "item" || value.value.type !== "bytes") {
      return failure("malformedSignature", `Signature ${label} is not a byte sequence`);
    }
    const keyId = stringParam(member, "keyid");
    const algorithm = stringParam(member, "alg");
    const created = integerParam(member, "created");
    const expires = integerParam(member, "expires");
    for (const [name, parsed] of [["keyid", keyId], ["alg", algorithm], ["created", created], ["expires", expires]] as const) {
      if (parsed === undefined) return failure("malformedSignature", `Signature-Input ${label} has an invalid ${name} parameter`);
    }
    signatures.push({
      label,
      components: member,
      componentNames,
      keyId: keyId ?? null,
      algorithm: algorithm ?? null,
      created: created ?? null,
      expires: expires ?? null,
      signature: value.value.value,
    });
  }
  return { ok: true, signatures };
}

/** Maps an `alg` parameter to the algorithm to verify with. */
export function rfc9421Algorithm(name: string | null): Rfc9421AlgorithmResult {
  if (name === null) return { ok: true, algorithm: null };
  if (ALGORITHMS.has(name)) return { ok: true, algorithm: name as SignatureAlgorithm };
  return failure(
    "unsupportedAlgorithm",
    `Signature algorithm "${name}" is not supported; use rsa-v1_5-sha256, rsa-pss-sha512 or ed25519`,
  );
}

/** Rebuilds the signature base (RFC 9421 section 2.5) for a request. */
export function rfc9421SignatureBase(params: Rfc9421SignatureBaseParameters): Rfc9421SignatureBaseResult {
  const { method, url, headers, components } = params;
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const component of components.items) {
    if (component.value.type !== "string") {
      return failure("malformedSignature", "Covered components must be strings");
    }
    const name = component.value.value;
    if (component.params.size > 0) {
      return failure("malformedSignature", `Component parameters (on "${name}") are not supported`);
    }
    const identifier = serializeItem(component);
    if (seen.has(identifier)) return failure("malformedSignature", `Component ${identifier} is covered twice`);
    seen.add(identifier);
    let value: string | null;
    if (name.startsWith("@")) {
      value = derivedComponent(name, method, url);
      if (value === null) {
        return failure("malformedSignature", `Derived component "${name}" is not defined for requests`);
      }
    } else {
      if (name !== name.toLowerCase()) {
        return failure("malformedSignature", `Component "${name}" is not lowercase`);
      }
      value = headers.get(name);
      if (value === null) {
        return failure("missingSignedHeader", `Signature covers the "${name}" header, but the request has no such header`);
      }
    }
    lines.push(`${identifier}: ${value}`);
  }
  lines.push(`"@signature-params": ${serializeInnerList(components)}`);
  return { ok: true, data: Buffer.from(lines.join("\n")) };
}

/**
 * Checks an RFC 9421 signature against a public key. Without an `alg`
 * parameter the key decides: RSA tries RSASSA-PKCS1-v1_5/SHA-256, then
 * RSA-PSS/SHA-512; Ed25519 uses Ed25519.
 */
export function verifyRfc9421(params: VerifyRfc9421Parameters): StepResult<"invalidSignature" | "unsupportedAlgorithm"> {
  const { signature, data, publicKey } = params;
  const keyName = signature.keyId ?? signature.label;
  const named = rfc9421Algorithm(signature.algorithm);
  if (!named.ok) return named;
  const type = publicKey.asymmetricKeyType ?? "symmetric";
  if (named.algorithm !== null && !keyFitsAlgorithm(publicKey, named.algorithm)) {
    return failure("invalidSignature", `Signature algorithm ${named.algorithm} cannot be verified with the ${type} key ${keyName}`);
  }
  const candidates = named.algorithm === null ? algorithmsForKey(publicKey) : [named.algorithm];
  if (candidates.length === 0) {
    return failure("unsupportedAlgorithm", `Key ${keyName} is a ${type} key, which cannot verify signatures here`);
  }
  for (const algorithm of candidates) {
    if (verifyBytes({ algorithm, key: publicKey, data, signature: signature.signature })) return { ok: true };
  }
  return failure("invalidSignature", `Signature ${signature.label} does not verify with key ${keyName}`);
}

function derivedComponent(name: string, method: string, url: URL): string | null {
  switch (name) {
    case "@method":
      return method;
    case "@target-uri":
      return url.href;
    case "@authority":
      return url.host;
    case "@scheme":
      return url.protocol.slice(0, -1);
    case "@request-target":
      return `${url.pathname}${url.search}`;
    case "@path":
      return url.pathname;
    case "@query":
      return url.search === "" ? "?" : url.search;
    default:
      return null;
  }
}

/** The string value of a parameter: undefined when present with another type, null when absent. */
function stringParam(list: SfInnerList, name: string): string | null | undefined {
  const value = list.params.get(name);
  if (value === undefined) return null;
  return value.type === "string" ? value.value : undefined;
}

function integerParam(list: SfInnerList, name: string): number | null | undefined {
  const value = list.params.get(name);
  if (value === undefined) return null;
  return value.type === "integer" ? value.value : undefined;
}
