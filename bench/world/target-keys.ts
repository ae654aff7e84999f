/**
 * Public keys of the server under test, as the world's inboxes need them to
 * verify deliveries. Keys are fetched only from the target's origin (the
 * world never follows a key id elsewhere), once per key id however many
 * deliveries arrive at the same moment.
 */
import type { ResolvedKey } from "../../src/crypto/verify-request.ts";

/** Parameters of {@link createTargetKeyResolver}. */
export interface CreateTargetKeyResolverParams {
  /** The origin keys may come from; null until a target is configured. */
  readonly targetOrigin: () => string | null;
  readonly fetch?: typeof globalThis.fetch;
}

/** Looks up keys like `verifyRequest` wants, and forgets them between targets. */
export interface TargetKeyResolver {
  resolve(keyId: string, options: { refresh: boolean }): Promise<ResolvedKey | null>;
  clear(): void;
}

const FETCH_TIMEOUT_MS = 10_000;
const MAX_DOCUMENT_BYTES = 256 * 1024;

/** Builds a resolver that caches keys and coalesces concurrent fetches of one key. */
export function createTargetKeyResolver(params: CreateTargetKeyResolverParams): TargetKeyResolver {
  const fetchImpl = params.fetch ?? globalThis.fetch;
  const cache = new Map<string, Promise<ResolvedKey | null>>();

  const load = async (keyId: string): Promise<ResolvedKey | null> => {
    const target = params.targetOrigin();
    let url: URL;
    try {
      url = new URL(keyId);
    } catch {
      return null;
    }
    if (target === null || url.origin !== target) return null;
    url.hash = "";
    const response = await fetchImpl(url, {
      headers: { accept: 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"' },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      redirect: "error",
    });
    if (!response.ok) return null;
    const text = await response.text();
    if (text.length > MAX_DOCUMENT_BYTES) return null;
    return keyFromDocument(keyId, JSON.parse(text) as unknown);
  };

  return {
    resolve(keyId, options) {
      const cached = cache.get(keyId);
      if (cached !== undefined && !options.refresh) return cached;
      const loading = load(keyId).catch(() => null);
      cache.set(keyId, loading);
      // A failed lookup is not remembered: the target may just be starting.
      void loading.then((key) => {
        if (key === null && cache.get(keyId) === loading) cache.delete(keyId);
      });
      return loading;
    },
    clear() {
      cache.clear();
    },
  };
}

/** Finds the key in an actor document (`publicKey`, one or many) or a bare key document. */
function keyFromDocument(keyId: string, document: unknown): ResolvedKey | null {
  if (typeof document !== "object" || document === null) return null;
  const doc = document as Record<string, unknown>;
  const candidates: unknown[] = [];
  if (Array.isArray(doc.publicKey)) candidates.push(...doc.publicKey);
  else if (doc.publicKey !== undefined) candidates.push(doc.publicKey);
  candidates.push(doc);
  for (const candidate of candidates) {
    if (typeof candidate !== "object" || candidate === null) continue;
    const key = candidate as Record<string, unknown>;
    if (key.id !== keyId || typeof key.publicKeyPem !== "string") continue;
    const owner = typeof key.owner === "string" ? key.owner : typeof doc.id === "string" ? doc.id : null;
    if (owner === null) return null;
    return { publicKeyPem: key.publicKeyPem, ownerUri: owner };
  }
  return null;
}
