/** The app's blog (posts in memory), over its Outpost. */
import { createBlog, type Blog } from "../../shared/blog.ts";
import { getOutpost } from "./outpost.ts";

const holder = globalThis as typeof globalThis & { blogInstance?: Promise<Blog> };

/** The blog, created on first use. */
export function getBlog(): Promise<Blog> {
  holder.blogInstance ??= getOutpost().then(createBlog);
  return holder.blogInstance;
}
