// The home page.
import { getBlog } from "../lib/blog.ts";

export async function GET(): Promise<Response> {
  const blog = await getBlog();
  return new Response(blog.homePage(), { headers: { "content-type": "text/html; charset=utf-8" } });
}
