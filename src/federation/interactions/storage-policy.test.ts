import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isKeptInteraction } from "./storage-policy.ts";

describe("isKeptInteraction", () => {
  it("keeps public and unlisted interactions", () => {
    assert.equal(isKeptInteraction({ visibility: "public", storePrivateInteractions: false }), true);
    assert.equal(isKeptInteraction({ visibility: "unlisted", storePrivateInteractions: false }), true);
  });

  it("keeps followers-only and direct ones only when asked to", () => {
    assert.equal(isKeptInteraction({ visibility: "followers", storePrivateInteractions: false }), false);
    assert.equal(isKeptInteraction({ visibility: "direct", storePrivateInteractions: false }), false);
    assert.equal(isKeptInteraction({ visibility: "direct", storePrivateInteractions: true }), true);
  });
});
