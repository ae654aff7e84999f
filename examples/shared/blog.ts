/**
 * The tiny blog every example serves: posts kept in memory, their pages,
 * and the Article each post is published as. Only the wiring to a web
 * framework differs from one example to the next.
 */
import { PUBLIC_COLLECTION, type Outpost } from "outpost";

/** A blog post. */
export interface Post {
  readonly slug: string;
  readonly title: string;
  readonly body: string;
}

/** What a "new post" form sends. */
export interface NewPost {
  readonly title?: unknown;
  readonly body?: unknown;
}

/** The blog: its posts and the Outpost that federates them. */
export interface Blog {
  readonly posts: Map<string, Post>;
  /** Stores a post and publishes it as an Article; answers the HTTP status and body for the form. */
  addPost(input: NewPost): Promise<{ status: number; body: Record<string, unknown> }>;
  homePage(): string;
  /** The post's page with its replies, likes and boosts, or undefined when there is no such post. */
  postPage(slug: string): Promise<string | undefined>;
}

/** Builds the blog over an Outpost whose declared actor is the blog. */
export function createBlog(outpost: Outpost): Blog {
  const origin = outpost.ctx.config.origin;
  const posts = new Map<string, Post>();
  const layout = (title: string, main: string) =>
    `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title>${outpost.relMeLink()}</head><body>${main}</body></html>`;

  return {
    posts,
    async addPost(input) {
      if (typeof input.title !== "string" || input.title.trim() === "" || typeof input.body !== "string") {
        return { status: 400, body: { error: "a post needs a title and a body" } };
      }
      const slug = uniqueSlug(input.title, posts);
      const post: Post = { slug, title: input.title.trim(), body: input.body };
      posts.set(slug, post);
      // The post's permalink is its ActivityPub id: other servers fetch it, and Outpost answers them.
      const url = `${origin}/posts/${slug}`;
      // People named as @user@server are told, as on any fediverse server.
      const mentions = await outpost.extractMentions(post.body);
      const published = await outpost.publishObject({
        id: url,
        type: "Article",
        name: post.title,
        content: post.body.split(/\n{2,}/).map((paragraph) => `<p>${escape(paragraph)}</p>`).join(""),
        url,
        to: [PUBLIC_COLLECTION],
        cc: [outpost.ctx.uris.followers("blog"), ...mentions.cc],
        tag: mentions.tags,
      });
      if (!published.ok) return { status: 500, body: { error: published.message } };
      return { status: 201, body: { id: url, deliveries: published.deliveries } };
    },
    homePage() {
      const items = [...posts.values()].map((post) => `<li><a href="/posts/${post.slug}">${escape(post.title)}</a></li>`);
      return layout("My blog", `<h1>My blog</h1><p>Follow it from the fediverse: @blog@${new URL(origin).host}</p><ul>${items.join("")}</ul>`);
    },
    async postPage(slug) {
      const post = posts.get(slug);
      if (post === undefined) return undefined;
      // Replies, likes and boosts from the fediverse, rendered (and sanitized) by Outpost.
      const interactions = await outpost.renderInteractions(`${origin}/posts/${slug}`);
      return layout(post.title, `<article><h1>${escape(post.title)}</h1><p>${escape(post.body)}</p></article>${interactions}`);
    },
  };
}

function uniqueSlug(title: string, posts: ReadonlyMap<string, Post>): string {
  const base = title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "post";
  let slug = base;
  for (let n = 2; posts.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
