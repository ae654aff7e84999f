import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { remoteActor } from "../../store/contract/fixtures.ts";
import { httpUrlOrNull, interactionActorOf } from "./interaction-actor.ts";

describe("httpUrlOrNull", () => {
  it("passes http and https URLs", () => {
    assert.equal(httpUrlOrNull({ value: "https://cdn.example/a.png" }), "https://cdn.example/a.png");
    assert.equal(httpUrlOrNull({ value: "http://cdn.example/a.png" }), "http://cdn.example/a.png");
  });

  it("drops script, data and credential-carrying URLs and non-URLs", () => {
    for (const value of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:image/svg+xml,<svg onload=alert(1)>", "https://u:p@cdn.example/a.png", "/relative.png", "", null, undefined]) {
      assert.equal(httpUrlOrNull({ value }), null, String(value));
    }
  });
});

describe("interactionActorOf", () => {
  it("shows a cached actor by name, handle, profile and avatar", () => {
    const actor = remoteActor("bob", { name: "Bob", url: "https://remote.example/@bob", iconUrl: "https://remote.example/bob.png" });
    assert.deepEqual(interactionActorOf({ uri: actor.uri, actor }), {
      uri: actor.uri,
      name: "Bob",
      handle: "@bob@remote.example",
      url: "https://remote.example/@bob",
      iconUrl: "https://remote.example/bob.png",
    });
  });

  it("falls back to the actor's id for a hostile profile URL and drops a hostile avatar", () => {
    const actor = remoteActor("eve", { url: "javascript:alert(1)", iconUrl: "data:image/png;base64,AAAA", name: "   " });
    const shown = interactionActorOf({ uri: actor.uri, actor });
    assert.equal(shown.url, actor.uri);
    assert.equal(shown.iconUrl, null);
    assert.equal(shown.name, null);
  });

  it("shows an actor never fetched by its id alone", () => {
    assert.deepEqual(interactionActorOf({ uri: "https://x.example/u/1", actor: null }), {
      uri: "https://x.example/u/1",
      name: null,
      handle: null,
      url: "https://x.example/u/1",
      iconUrl: null,
    });
  });
});
