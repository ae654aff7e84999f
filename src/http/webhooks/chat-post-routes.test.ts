import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createHttpTestServer, seedLocalActor, type HttpTestServer } from "../http.test-support.ts";
import { mountChatPostRoutes } from "./chat-post-routes.ts";

const SIGNING_SECRET = "slack-signing-secret-0123456789";
const BEARER = "script-bearer-secret-0123456789";

describe("POST /api/chat/post", () => {
  let server: HttpTestServer;
  beforeEach(async () => {
    server = await createHttpTestServer();
    await seedLocalActor(server.ctx, { username: "news" });
    mountChatPostRoutes(server.app, { ctx: server.ctx, actor: "news", slackSigningSecret: SIGNING_SECRET, bearerSecret: BEARER });
  });
  afterEach(async () => {
    await server.close();
  });

  const slackPost = (body: string, secret = SIGNING_SECRET) => {
    const timestamp = String(Math.floor(server.ctx.now().getTime() / 1000));
    const signature = createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex");
    return server.request("/api/chat/post", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": `v0=${signature}`,
      },
      body,
    });
  };

  it("posts a Slack slash command's text and answers in the channel with the link", async () => {
    const response = await slackPost("command=%2Fpost&user_name=alice&text=Release+2.0+is+out+%23news");
    assert.equal(response.status, 200);
    const answer = (await response.json()) as { response_type: string; text: string };
    assert.equal(answer.response_type, "in_channel");
    const url = /^Posted: (\S+)$/.exec(answer.text)?.[1];
    assert.ok(url !== undefined);
    const object = await server.ctx.store.objects.get(url);
    assert.match(String(object?.document.content), /Release 2\.0 is out/);
    assert.equal(object?.attributedTo, "https://outpost.test/users/news");
  });

  it("refuses a bad signature with 401 and posts nothing", async () => {
    const response = await slackPost("text=hello", "not-the-signing-secret-at-all");
    assert.equal(response.status, 401);
    assert.equal((await server.ctx.store.objects.listByAuthor("https://outpost.test/users/news", { visibilities: ["public"] }, { limit: 5 })).items.length, 0);
  });

  it("takes JSON from a script with the bearer secret, and refuses a wrong one", async () => {
    const post = (token: string, body: unknown) =>
      server.request("/api/chat/post", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    const ok = await post(BEARER, { text: "Deployed", visibility: "unlisted" });
    assert.equal(ok.status, 200);
    const url = /^Posted: (\S+)$/.exec(((await ok.json()) as { text: string }).text)?.[1];
    assert.equal((await server.ctx.store.objects.get(url!))?.visibility, "unlisted");
    assert.equal((await post("wrong", { text: "x" })).status, 401);
  });

  it("answers 400 when there is no text", async () => {
    const response = await slackPost("command=%2Fpost&text=");
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { response_type: string }).response_type, "ephemeral");
  });

  it("cannot be mounted without a secret", () => {
    assert.throws(() => mountChatPostRoutes(server.app, { ctx: server.ctx, actor: "news" }), TypeError);
  });
});
