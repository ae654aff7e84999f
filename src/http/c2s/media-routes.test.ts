import assert from "node:assert/strict";
import { test } from "node:test";
import { bearer, createActorViaApi, createClientApiTestServer, getJson, userWithToken, type ClientApiTestServer } from "./client-api.test-support.ts";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
/** A PNG's signature and the start of its header chunk: enough to be recognised. */
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);

function upload(server: ClientApiTestServer, token: string | null, file: Uint8Array, object?: unknown, type = "image/png"): Promise<Response> {
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(file)], { type }), "upload.bin");
  if (object !== undefined) form.set("object", JSON.stringify(object));
  return server.request("/users/alice/uploads", { method: "POST", headers: token === null ? {} : bearer(token), body: form });
}

async function withAlice(fn: (server: ClientApiTestServer, token: string) => Promise<void>, maxMediaBytes?: number) {
  const server = await createClientApiTestServer(maxMediaBytes === undefined ? {} : { mount: { maxMediaBytes } });
  try {
    const token = await userWithToken(server, { username: "alice" });
    const actor = await createActorViaApi(server, token, { preferred_username: "alice" });
    assert.equal((actor.endpoints as Record<string, string>).uploadMedia, "https://outpost.test/users/alice/uploads");
    await fn(server, token);
  } finally {
    await server.close();
  }
}

test("an uploaded image becomes a published Image whose file is served with its real type", () =>
  withAlice(async (server, token) => {
    const response = await upload(server, token, PNG, { type: "Image", name: "A very small cat", to: [PUBLIC] });
    assert.equal(response.status, 201);
    const created = (await response.json()) as { id: string; url: string; activity: string };
    assert.equal(response.headers.get("location"), created.id);
    const image = await getJson(server, created.id);
    assert.equal(image.body.type, "Image");
    assert.equal(image.body.name, "A very small cat");
    assert.equal(image.body.mediaType, "image/png");
    assert.match(image.body.url as string, /^https:\/\/outpost\.test\/media\/[0-9A-Z]{26}\.png$/);
    assert.equal((await getJson(server, created.activity)).body.type, "Create");

    const file = await server.request(new URL(image.body.url as string).pathname);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get("content-type"), "image/png");
    assert.equal(file.headers.get("x-content-type-options"), "nosniff");
    assert.deepEqual(new Uint8Array(await file.arrayBuffer()), PNG);
  }));

test("a file is judged by its bytes: an SVG sent as PNG is refused", () =>
  withAlice(async (server, token) => {
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const response = await upload(server, token, svg, { type: "Image" });
    assert.equal(response.status, 415);
  }));

test("uploads need a token, multipart, a file, and stay under the size limit", () =>
  withAlice(async (server, token) => {
    assert.equal((await upload(server, null, PNG)).status, 401);
    const notMultipart = await server.request("/users/alice/uploads", {
      method: "POST",
      headers: bearer(token, { "content-type": "image/png" }),
      body: new Uint8Array(PNG),
    });
    assert.equal(notMultipart.status, 415);
    const noFile = new FormData();
    noFile.set("object", "{}");
    assert.equal((await server.request("/users/alice/uploads", { method: "POST", headers: bearer(token), body: noFile })).status, 400);
    const big = new Uint8Array(2048);
    big.set(PNG);
    assert.equal((await upload(server, token, big)).status, 413);
    assert.equal((await upload(server, token, PNG, "not an object")).status, 400);
  }, 1024));

test("only minted file names are served", () =>
  withAlice(async (server) => {
    for (const path of ["/media/..%2f..%2fetc%2fpasswd", "/media/x.png", "/media/01ARZ3NDEKTSV4RRFFQ69G5FAV.svg"]) {
      assert.equal((await server.request(path)).status, 404, path);
    }
  }));
