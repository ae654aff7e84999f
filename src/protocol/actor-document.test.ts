import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildActorDocument, buildInstanceActorDocument, type ActorDocumentParams } from "./actor-document.ts";
import { normalizeActor } from "./normalize.ts";
import { createLocalUris } from "./uris.ts";
import { actorContext } from "./vocabulary.ts";

const uris = createLocalUris({ origin: "https://outpost.example" });
const PEM = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkq\n-----END PUBLIC KEY-----\n";

const params: ActorDocumentParams = {
  uris,
  username: "bob",
  type: "Person",
  name: "Bob",
  summary: "<p>Hello</p>",
  iconUrl: "https://outpost.example/media/bob.png",
  iconMediaType: "image/png",
  manuallyApprovesFollowers: false,
  discoverable: true,
  published: "2024-01-01T00:00:00Z",
  fields: [
    { name: "Site", value: "https://bob.example" },
    { name: "Likes", value: "<tea> & cake" },
  ],
  publicKeyPem: PEM,
  extraEndpoints: { uploadMedia: "https://outpost.example/api/upload" },
};

describe("buildActorDocument", () => {
  it("publishes everything Mastodon-compatible servers read", () => {
    const doc = buildActorDocument(params);
    assert.deepEqual(doc["@context"], actorContext());
    assert.equal(doc.id, "https://outpost.example/users/bob");
    assert.equal(doc.url, "https://outpost.example/@bob");
    assert.deepEqual(doc.icon, { type: "Image", url: "https://outpost.example/media/bob.png", mediaType: "image/png" });
    assert.equal(doc.liked, "https://outpost.example/users/bob/liked");
    assert.deepEqual(doc.endpoints, {
      uploadMedia: "https://outpost.example/api/upload",
      sharedInbox: "https://outpost.example/inbox",
    });
    assert.deepEqual(doc.publicKey, {
      id: "https://outpost.example/users/bob#main-key",
      owner: "https://outpost.example/users/bob",
      publicKeyPem: PEM,
    });
    assert.deepEqual(doc.attachment, [
      {
        type: "PropertyValue",
        name: "Site",
        value: '<a href="https://bob.example" rel="me nofollow noopener noreferrer" target="_blank">https://bob.example</a>',
      },
      { type: "PropertyValue", name: "Likes", value: "&lt;tea&gt; &amp; cake" },
    ]);
    assert.equal("alsoKnownAs" in doc, false);
    assert.equal("movedTo" in doc, false);
  });

  it("adds migration properties only when set", () => {
    const doc = buildActorDocument({
      ...params,
      alsoKnownAs: ["https://old.example/users/bob"],
      movedTo: "https://new.example/users/bob",
    });
    assert.deepEqual(doc.alsoKnownAs, ["https://old.example/users/bob"]);
    assert.equal(doc.movedTo, "https://new.example/users/bob");
  });

  it("reads back through normalizeActor unchanged", () => {
    const result = normalizeActor(buildActorDocument({ ...params, movedTo: "https://new.example/users/bob" }));
    assert.ok(result.ok);
    const actor = result.value;
    assert.equal(actor.preferredUsername, "bob");
    assert.equal(actor.inbox, uris.inbox("bob"));
    assert.equal(actor.sharedInbox, uris.sharedInbox());
    assert.equal(actor.featured, uris.featured("bob"));
    assert.equal(actor.iconUrl, params.iconUrl);
    assert.equal(actor.discoverable, true);
    assert.equal(actor.movedTo, "https://new.example/users/bob");
    assert.deepEqual(actor.publicKeys, [{ id: uris.key("bob"), owner: uris.actor("bob"), publicKeyPem: PEM }]);
    assert.equal(actor.fields.length, 2);
  });
});

describe("buildInstanceActorDocument", () => {
  it("is a locked, undiscoverable Application named after the host", () => {
    const doc = buildInstanceActorDocument({ uris: createLocalUris({ origin: "https://outpost.example:8443" }), publicKeyPem: PEM });
    assert.equal(doc.type, "Application");
    assert.equal(doc.preferredUsername, "outpost.example:8443");
    assert.equal(doc.manuallyApprovesFollowers, true);
    assert.equal(doc.discoverable, false);
    assert.equal(doc.id, "https://outpost.example:8443/actor");
    const result = normalizeActor(doc);
    assert.ok(result.ok);
    assert.equal(result.value.inbox, "https://outpost.example:8443/actor/inbox");
    assert.equal(result.value.publicKeys[0]?.id, "https://outpost.example:8443/actor#main-key");
  });
});
