import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLibraryWorld, SITE } from "./library.test-support.ts";

describe("relMeLink", () => {
  it("links the site's pages to the actor's profile, the URL servers check verified links against", async () => {
    const world = await createLibraryWorld({ actor: { username: "Blog", fields: [{ name: "Website", value: `${SITE}/` }] } });
    try {
      const link = world.outpost.relMeLink();
      assert.equal(link, `<link rel="me" href="${SITE}/@blog">`);
      assert.equal(world.outpost.relMeLink("blog"), link);
      const actor = (await (await world.outpost.handle(new Request(`${SITE}/users/blog`, { headers: { accept: "application/activity+json" } }))).json()) as Record<string, unknown>;
      assert.equal(actor.url, `${SITE}/@blog`, "the link points at the actor's url");
    } finally {
      await world.close();
    }
  });

  it("needs a username when several actors are declared", async () => {
    const world = await createLibraryWorld({ actors: [{ username: "a" }, { username: "b" }] });
    try {
      assert.throws(() => world.outpost.relMeLink(), /name the actor/);
      assert.equal(world.outpost.relMeLink("b"), `<link rel="me" href="${SITE}/@b">`);
    } finally {
      await world.close();
    }
  });
});
