// "New post": stores the post and publishes it as an Article.
import { getBlog } from "../../lib/blog.ts";

export async function POST(request: Request): Promise<Response> {
  const blog = await getBlog();
  const input = (await request.json().catch(() => ({}))) as Record<string, unknown>;
  const result = await blog.addPost(input);
  return Response.json(result.body, { status: result.status });
}
