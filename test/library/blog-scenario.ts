/**
 * The end-to-end story every example blog must tell, over real HTTP on
 * loopback: WebFinger finds the blog's actor; another Outpost and a real
 * Fedify server follow it; a post written on the blog reaches both as an
 * Article; its permalink serves the page to browsers and the Article to
 * servers; and replies from both arrive at the blog.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { createPost, followActor } from "../../src/federation/outbox/actions/index.ts";
import type { OutpostOptions, Outpost } from "../../src/index.ts";
import { startFedifyPeer, type FedifyPeer } from "../support/fedify-peer.ts";
import { guardGlobalFetch, loopbackOnlyFetch } from "../support/loopback-fetch.ts";
import { startOutpostInstance, type OutpostInstance } from "../support/outpost-instance.ts";
import { waitFor } from "../support/wait-for.ts";

/** A started example blog. */
export interface StartedBlog {
  readonly url: string;
  readonly outpost: Outpost;
  close(): Promise<void>;
}

/** Starts an example on a free loopback port with the given Outpost options. */
export type StartBlog = (options: { port: number; hostname: string; outpost: Partial<OutpostOptions> }) => Promise<StartedBlog>;

/** Outpost options for a blog under test: in memory, quiet, loopback only. */
export function testOutpostOptions(): Partial<OutpostOptions> {
  return {
    databaseUrl: ":memory:",
    logger: pino({ level: process.env.OUTPOST_TEST_LOG ?? "silent", name: "blog" }),
    fetch: loopbackOnlyFetch(),
    config: { allowPrivateAddresses: true },
    rateLimits: false,
  };
}

const AP = { accept: "application/activity+json" };

/** Runs the story against one example. */
export function describeBlogScenario(name: string, start: StartBlog): void {
  describe(`the ${name} example blog`, () => {
    let restoreFetch: (() => void) | undefined;
    let blog: StartedBlog;
    let reader: OutpostInstance;
    let peer: FedifyPeer;
    let blogActor: string;
    let postUrl: string;

    before(async () => {
      // Fedify loads documents through the global fetch; nothing may leave loopback.
      restoreFetch = guardGlobalFetch();
      blog = await start({ port: 0, hostname: "127.0.0.1", outpost: testOutpostOptions() });
      reader = await startOutpostInstance({ name: `${name}-reader` });
      peer = await startFedifyPeer({ firstKnock: "rfc9421", username: "fedi" });
    });
    after(async () => {
      await peer?.close();
      await reader?.close();
      await blog?.close();
      restoreFetch?.();
    });

    it("is found by WebFinger", async () => {
      const host = new URL(blog.url).host;
      const response = await fetch(`${blog.url}/.well-known/webfinger?resource=${encodeURIComponent(`acct:blog@${host}`)}`);
      assert.equal(response.status, 200);
      const jrd = (await response.json()) as { links: { rel: string; href?: string }[] };
      blogActor = jrd.links.find((link) => link.rel === "self")?.href ?? "";
      assert.equal(blogActor, `${blog.url}/activitypub/users/blog`);
      const actor = (await (await fetch(blogActor, { headers: AP })).json()) as Record<string, unknown>;
      assert.equal(actor.name, "My blog");
    });

    it("is followed by another Outpost and by a Fedify server", async () => {
      const alice = await reader.createActor("alice");
      const followed = await followActor(reader.ctx, { actor: alice, target: `blog@${new URL(blog.url).host}` });
      assert.ok(followed.ok, followed.ok ? "" : followed.message);
      await reader.waitFor(async () => (await reader.store.follows.get(alice.uri, blogActor))?.state === "accepted", {
        message: "the blog to accept the Outpost reader",
      });
      await peer.follow(blogActor);
      await waitFor(() => peer.followState(blogActor) === "accepted", { message: "the blog to accept the Fedify reader" });
    });

    it("publishes a new post as an Article to both followers", async () => {
      const response = await fetch(`${blog.url}/posts`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title: "Hello fediverse", body: "My first post." }),
      });
      assert.equal(response.status, 201);
      const created = (await response.json()) as { id: string; deliveries: number };
      postUrl = created.id;
      assert.equal(postUrl, `${blog.url}/posts/hello-fediverse`);
      assert.equal(created.deliveries, 2);

      const stored = await reader.waitFor(async () => reader.store.objects.get(postUrl), { message: "the Article at the Outpost reader" });
      assert.equal(stored.type, "Article");
      assert.equal(stored.document.name, "Hello fediverse");
      const create = await peer.waitForActivity((activity) => activity.type === "Create" && activity.objectId === postUrl);
      assert.equal((create.json.object as Record<string, unknown>).type, "Article");
      assert.deepEqual(peer.unverified, [], "Fedify verified every signature of the blog");
    });

    it("serves the post's page to browsers and the Article to servers at the same URL", async () => {
      const page = await fetch(postUrl, { headers: { accept: "text/html" } });
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /<h1>Hello fediverse<\/h1>/);
      assert.match(html, /<link rel="me" href="[^"]+\/@blog">/);
      const article = await fetch(postUrl, { headers: AP });
      assert.equal(article.status, 200);
      assert.equal(((await article.json()) as Record<string, unknown>).type, "Article");
      assert.equal((await fetch(`${blog.url}/`)).status, 200);
    });

    it("receives replies from both followers", async () => {
      const alice = await reader.actor("alice");
      const reply = await createPost(reader.ctx, { actor: alice, text: "Welcome!", inReplyTo: postUrl });
      assert.ok(reply.ok, reply.ok ? "" : reply.message);
      const fedifyReply = await peer.post({ content: "<p>Nice post</p>", inReplyTo: { uri: postUrl, author: blogActor } });

      const replies = await waitFor(
        async () => {
          const page = await blog.outpost.store.objects.listReplies(postUrl, { visibilities: ["public", "unlisted", "followers", "direct"] }, { limit: 10 });
          return page.items.length >= 2 ? page.items : null;
        },
        { message: "both replies at the blog" },
      );
      assert.deepEqual(new Set(replies.map((object) => object.uri)), new Set([reply.objectUri, fedifyReply.objectId]));

      // The blog shows them under the post, as Outpost renders them.
      const page = await waitFor(
        async () => {
          const html = await (await fetch(postUrl, { headers: { accept: "text/html" } })).text();
          return html.includes("Welcome!") && html.includes("Nice post") ? html : null;
        },
        { message: "both replies on the post's page" },
      );
      assert.doesNotMatch(page, /<script/i);
    });
  });
}
