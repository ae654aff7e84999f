/** Public keys (and local actors' private halves) in `keys.json`. */
import type { KeyRecord } from "../records.ts";
import type { KeyRepository } from "../store.ts";
import { handOut, type JsonContext } from "./json-context.ts";

/** The key repository; a put replaces the key with the same keyId. */
export function createKeyRepository(ctx: JsonContext): KeyRepository {
  return {
    async get(keyId) {
      const row = ctx.view().rows("keys").get(keyId);
      return row === undefined ? null : handOut(row);
    },

    put(key) {
      const row: KeyRecord = {
        keyId: key.keyId,
        ownerUri: key.ownerUri,
        publicKeyPem: key.publicKeyPem,
        privateKeyPem: key.privateKeyPem ?? null,
      };
      return ctx.write((draft) => draft.put("keys", row));
    },

    async add(key) {
      let added = false;
      await ctx.write((draft) => {
        if (draft.rows("keys").has(key.keyId)) return;
        draft.put("keys", {
          keyId: key.keyId,
          ownerUri: key.ownerUri,
          publicKeyPem: key.publicKeyPem,
          privateKeyPem: key.privateKeyPem ?? null,
        });
        added = true;
      });
      return added;
    },

    async listForOwner(ownerUri) {
      const owned = [...ctx.view().rows("keys").values()].filter((row) => row.ownerUri === ownerUri);
      owned.sort((a, b) => (a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0));
      return owned.map(handOut);
    },

    removeForOwner(ownerUri) {
      return ctx.write((draft) => {
        for (const row of [...draft.rows("keys").values()]) {
          if (row.ownerUri === ownerUri) draft.delete("keys", row.keyId);
        }
      });
    },
  };
}
