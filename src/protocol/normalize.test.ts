import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as normalize from "./normalize.ts";

describe("normalize entry points", () => {
  it("reads a bare-bones document of each kind", () => {
    const activity = normalize.normalizeActivity({
      id: "https://a.example/a/1",
      type: "Follow",
      actor: "https://a.example/u/1",
      object: "https://b.example/u/2",
    });
    const object = normalize.normalizeObject({ id: "https://a.example/n/1", type: "Note", content: "hi" });
    const actor = normalize.normalizeActor({ id: "https://a.example/u/1", type: "Service", inbox: "https://a.example/u/1/inbox" });
    assert.equal(activity.ok && activity.value.object, "https://b.example/u/2");
    assert.equal(object.ok && object.value.content, "hi");
    assert.equal(actor.ok && actor.value.type, "Service");
  });
});
