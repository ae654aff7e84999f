// A post's page. Other servers fetch the same URL for the Article: Outpost answers those.
import { getBlog } from "../../../lib/blog.ts";
import { getOutpost } from "../../../lib/outpost.ts";

export async function GET(request: Request, context: { params: Promise<{ slug: string }> }): Promise<Response> {
  const activityJson = await (await getOutpost()).objectResponse(request);
  if (activityJson !== undefined) return activityJson;
  const page = await (await getBlog()).postPage((await context.params).slug);
  if (page === undefined) return new Response("no such post", { status: 404 });
  return new Response(page, { headers: { "content-type": "text/html; charset=utf-8", vary: "Accept" } });
}
