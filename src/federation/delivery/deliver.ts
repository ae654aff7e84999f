/**
 * One delivery: POSTing an activity to a remote inbox, signed the way
 * Mastodon and most of the fediverse check (draft-cavage over
 * `(request-target) host date digest`), and sorting the answer into done,
 * gone, worth retrying, or not.
 */
import type { KeyRecord } from "../../store/records.ts";
import type { FederationContext } from "../context.ts";
import { safeFetch, type SafeFetchResult } from "../fetch/safe-fetch.ts";
import { signOutgoingRequest } from "../signing/sign-outgoing.ts";
import { parseRetryAfter } from "./retry-after.ts";

/** Parameters of {@link deliverActivity}. */
export interface DeliverActivityParameters {
  readonly inbox: string;
  /** The activity as JSON, exactly as it is to be sent (UTF-8 bytes or text). */
  readonly body: Uint8Array | string;
  /** The key to sign with; must have its private half. */
  readonly signer: KeyRecord;
}

/** How a delivery went. */
export type DeliveryOutcome =
  | { ok: true; status: number }
  | { ok: false; retryable: boolean; gone: boolean; status?: number; retryAfterMs?: number; message: string };

/** The response body is never used; read a little of it so the connection can be reused, drop the rest. */
const RESPONSE_BYTES = 16 * 1024;

/** Failures of the request itself that a later attempt may not meet. */
const RETRYABLE_FAILURES: ReadonlySet<string> = new Set(["timeout", "network", "dnsFailure"]);

/** POSTs a signed activity to an inbox and classifies the answer. */
export async function deliverActivity(ctx: FederationContext, params: DeliverActivityParameters): Promise<DeliveryOutcome> {
  const { signer } = params;
  const privateKey = signer.privateKeyPem;
  if (privateKey === null) {
    return { ok: false, retryable: false, gone: false, message: `Key ${signer.keyId} has no private half to sign with` };
  }
  const body = typeof params.body === "string" ? new TextEncoder().encode(params.body) : params.body;
  const response = await safeFetch(ctx, params.inbox, {
    method: "POST",
    headers: new Headers({
      "content-type": "application/activity+json",
      accept: "application/activity+json, application/ld+json, application/json",
    }),
    body,
    timeoutMs: ctx.config.deliveryTimeoutMs,
    maxBytes: RESPONSE_BYTES,
    truncateBody: true,
    // An inbox that redirects is misconfigured, and following it would need the POST re-sent elsewhere.
    maxRedirects: 0,
    // On the process's signing threads when it has them: one signature per inbox adds up in a large fan-out.
    sign: (hop) =>
      signOutgoingRequest({
        method: hop.method,
        url: hop.url,
        headers: hop.headers,
        body,
        keyId: signer.keyId,
        privateKey,
        now: ctx.now(),
        scheme: "draft-cavage",
      }),
  });
  return classifyResponse({ response, inbox: params.inbox, now: ctx.now() });
}

/** Parameters of {@link classifyResponse}. */
export interface ClassifyResponseParameters {
  readonly response: SafeFetchResult;
  readonly inbox: string;
  readonly now: Date;
}

/**
 * Sorts a delivery response: 2xx done; 410 gone (the recipients no longer
 * exist); 408, 429, 5xx and failures to connect are worth retrying; any
 * other status is a refusal that retrying will not change.
 */
export function classifyResponse(params: ClassifyResponseParameters): DeliveryOutcome {
  const { response, inbox } = params;
  if (!response.ok) {
    const retryable = RETRYABLE_FAILURES.has(response.reason);
    return { ok: false, retryable, gone: false, message: `Delivery to ${inbox} failed: ${response.message}` };
  }
  const { status } = response;
  if (status >= 200 && status <= 299) return { ok: true, status };
  if (status === 410) return { ok: false, retryable: false, gone: true, status, message: `${inbox} is gone (HTTP 410)` };
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter({ value: response.headers.get("retry-after"), now: params.now });
    const outcome: DeliveryOutcome = {
      ok: false,
      retryable: true,
      gone: false,
      status,
      message: `${inbox} answered with HTTP ${status}${snippet(response.body)}`,
    };
    if (retryAfterMs !== undefined) outcome.retryAfterMs = retryAfterMs;
    return outcome;
  }
  return { ok: false, retryable: false, gone: false, status, message: `${inbox} refused the delivery with HTTP ${status}${snippet(response.body)}` };
}

/** The start of an error body, for the job's error text: servers often say why they refused. */
function snippet(body: Uint8Array): string {
  if (body.byteLength === 0) return "";
  const text = new TextDecoder().decode(body.subarray(0, 200)).replace(/\s+/g, " ").trim();
  return text === "" ? "" : `: ${text}`;
}
