/**
 * What the client-to-server routes share: the federation context, the
 * account context, where uploads go and the size limits. Built once by
 * {@link mountClientApi} and handed to every route of the client API.
 */
import type { FederationContext } from "../../federation/context.ts";
import type { AccountContext } from "../../federation/accounts/account-context.ts";

/** The client API's shared state. */
export interface ClientApi {
  readonly ctx: FederationContext;
  readonly ac: AccountContext;
  /** Where uploaded files are kept. */
  readonly mediaDir: string;
  /** Take client addresses from X-Forwarded-For (behind a proxy that sets it). */
  readonly trustProxy: boolean;
  /** Largest activity a client may post to an outbox. */
  readonly maxOutboxBytes: number;
  /** Largest file a client may upload. */
  readonly maxMediaBytes: number;
}

/** Default size limits. */
export const DEFAULT_MAX_OUTBOX_BYTES = 1024 * 1024;
export const DEFAULT_MAX_MEDIA_BYTES = 10 * 1024 * 1024;
