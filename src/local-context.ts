/**
 * The parts of a federation context that depend on what the store keeps,
 * shared by the process's context (outpost.ts) and the inbox thread's.
 */
import { clientEndpoints } from "./federation/c2s/endpoints.ts";
import type { FederationContext } from "./federation/context.ts";
import type { LocalUris } from "./protocol/uris.ts";
import { sqlAccountStoreOf } from "./store/sql-account-store.ts";
import type { Store } from "./store/store.ts";

/** Accounts (OAuth, the client-to-server API) exist only where the store keeps them. */
export function localContextExtras(params: { readonly store: Store; readonly uris: LocalUris }): Pick<FederationContext, "actorEndpoints"> {
  const { store, uris } = params;
  return sqlAccountStoreOf(store) === null ? {} : { actorEndpoints: (username: string) => clientEndpoints({ uris, username }) };
}
