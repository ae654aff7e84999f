import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pino from "pino";
import { openTestStore } from "../../test/support/test-store.ts";
import { createOutpost, type OutpostOptions } from "../outpost.ts";
import type { Store } from "../store/store.ts";
import { DeclarationError } from "./declared-actors.ts";
import { exportKeyPairPem, generateKeyPair, KeyError } from "./keys.ts";
import { SITE } from "./library.test-support.ts";

const silent = pino({ level: "silent" });
const ACCEPT = { accept: "application/activity+json" };

/** Starts an Outpost over the store, as a site restarting with a new declaration would. */
async function start(store: Store, options: Partial<OutpostOptions>) {
  return createOutpost({ origin: SITE, store, logger: silent, workers: "none", rateLimits: false, ...options });
}

async function actorDocument(outpost: Awaited<ReturnType<typeof start>>, username: string): Promise<Record<string, any>> {
  const response = await outpost.handle(new Request(`${SITE}/users/${username}`, { headers: ACCEPT }));
  assert.equal(response.status, 200);
  return (await response.json()) as Record<string, any>;
}

describe("declared actors", () => {
  it("are created on first start and found again, unchanged and with the same key, on the next", async () => {
    const store = await openTestStore();
    try {
      const first = await start(store, { actor: { username: "Blog", name: "My blog", type: "Service" } });
      assert.deepEqual(first.declaredActors.map((sync) => [sync.username, sync.change]), [["blog", "created"]]);
      const before = await actorDocument(first, "blog");
      assert.equal(before.type, "Service");
      assert.equal(before.name, "My blog");
      await first.stop();

      const second = await start(store, { actor: { username: "blog", name: "My blog", type: "Service" } });
      assert.deepEqual(second.declaredActors.map((sync) => sync.change), ["unchanged"]);
      const after = await actorDocument(second, "blog");
      assert.equal(after.publicKey.publicKeyPem, before.publicKey.publicKeyPem, "the generated key is kept in the store");
      assert.equal(after.published, before.published, "the actor is not recreated");
      await second.stop();
    } finally {
      await store.close();
    }
  });

  it("are updated in place when the declaration changes, with fields, icon and approval in the document", async () => {
    const store = await openTestStore();
    try {
      const first = await start(store, { actors: [{ username: "blog", name: "Old name" }, { username: "editor" }] });
      const uri = first.declaredActors[0]?.actor.uri;
      await first.stop();

      const second = await start(store, {
        actors: [
          {
            username: "blog",
            name: "New name",
            summary: '<p>Posts about things<script>alert(1)</script></p>',
            iconUrl: "https://blog.test/avatar.png",
            fields: [{ name: "Website", value: "https://blog.test/" }],
            manuallyApprovesFollowers: true,
          },
          { username: "editor" },
        ],
      });
      assert.deepEqual(second.declaredActors.map((sync) => [sync.username, sync.change]), [["blog", "updated"], ["editor", "unchanged"]]);
      assert.equal(second.declaredActors[0]?.actor.uri, uri);
      const document = await actorDocument(second, "blog");
      assert.equal(document.name, "New name");
      assert.equal(document.summary, "<p>Posts about things</p>", "the summary is sanitized");
      assert.equal(document.icon.url, "https://blog.test/avatar.png");
      assert.equal(document.manuallyApprovesFollowers, true);
      assert.deepEqual(document.attachment.map((field: Record<string, unknown>) => [field.type, field.name]), [["PropertyValue", "Website"]]);
      assert.match(String(document.attachment[0].value), /href="https:\/\/blog\.test\/"/);
      await second.stop();
    } finally {
      await store.close();
    }
  });

  it("sign with a declared key and are never re-keyed: another declared key stops the start", async () => {
    const store = await openTestStore();
    try {
      const key = exportKeyPairPem(await generateKeyPair());
      const first = await start(store, { actor: { username: "blog", key: { pem: key.privateKeyPem } } });
      assert.equal((await actorDocument(first, "blog")).publicKey.publicKeyPem, key.publicKeyPem);
      await first.stop();

      // The same key given another way, and no key at all, both keep the stored one.
      const again = await start(store, { actor: { username: "blog" }, keys: { blog: key } });
      await again.stop();
      const keyless = await start(store, { actor: { username: "blog" } });
      assert.equal((await actorDocument(keyless, "blog")).publicKey.publicKeyPem, key.publicKeyPem);
      await keyless.stop();

      const other = exportKeyPairPem(await generateKeyPair());
      await assert.rejects(start(store, { actor: { username: "blog", key: other } }), (error: unknown) => {
        assert.ok(error instanceof KeyError);
        assert.equal(error.reason, "keyMismatch");
        assert.match(error.message, /Declare the key the actor was created with/);
        return true;
      });
      const stored = await store.keys.get(`${SITE}/users/blog#main-key`);
      assert.equal(stored?.publicKeyPem, key.publicKeyPem, "the stored key is untouched");
    } finally {
      await store.close();
    }
  });

  it("refuse invalid and duplicate declarations", async () => {
    const store = await openTestStore();
    try {
      await assert.rejects(start(store, { actor: { username: "no spaces" } }), (error: unknown) => {
        assert.ok(error instanceof DeclarationError);
        assert.equal(error.reason, "invalidDeclaration");
        return true;
      });
      await assert.rejects(start(store, { actor: { username: "blog", iconUrl: "javascript:alert(1)" } }), { reason: "invalidDeclaration" });
      await assert.rejects(start(store, { actors: [{ username: "blog" }, { username: "BLOG" }] }), { reason: "duplicateUsername" });
      assert.equal(await store.actors.getLocal("blog"), null, "nothing was created");
    } finally {
      await store.close();
    }
  });

  it("publish the profile change to followers with publishActorUpdate", async () => {
    const { createLibraryWorld } = await import("./library.test-support.ts");
    const world = await createLibraryWorld({ actor: { username: "blog", name: "Blog" } });
    try {
      const bob = world.addRemoteAccount("bob");
      await world.deliver({ from: bob, to: "blog", activity: { id: `${bob.uri}#follows/1`, type: "Follow", actor: bob.uri, object: `${SITE}/users/blog` } });
      const sent = await world.outpost.publishActorUpdate();
      assert.ok(sent.ok, sent.ok ? "" : sent.message);
      assert.equal(sent.deliveries, 1);
      await world.outpost.runJobsUntilIdle();
      const update = bob.deliveries().find((activity) => activity.type === "Update");
      assert.equal((update?.object as Record<string, unknown>).id, `${SITE}/users/blog`);
    } finally {
      await world.close();
    }
  });
});
