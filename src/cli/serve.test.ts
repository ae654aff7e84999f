import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fingerprintOf } from "./actor.ts";
import { runOutpost, startOutpostServer } from "./cli-harness.ts";

const ORIGIN = "https://social.example";
const SERVE_ARGS = ["--port", "0", "--host", "127.0.0.1"];

async function actorDocument(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/users/alice`, { headers: { Accept: "application/activity+json" } });
  assert.equal(response.status, 200);
  return (await response.json()) as Record<string, unknown>;
}

function publicKeyPemOf(document: Record<string, unknown>): string {
  const key = document.publicKey as { publicKeyPem?: unknown } | undefined;
  assert.equal(typeof key?.publicKeyPem, "string");
  return key?.publicKeyPem as string;
}

describe("outpost serve (as a child process)", () => {
  let dataDir: string;
  let env: Record<string, string>;

  before(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), "outpost-cli-serve-")), "not-yet-created");
    env = { OUTPOST_DATA_DIR: dataDir, OUTPOST_ORIGIN: ORIGIN };
  });
  after(async () => {
    await rm(join(dataDir, ".."), { recursive: true, force: true });
  });

  it("starts on an empty data directory, hints at creating an actor, and serves discovery", async () => {
    const server = await startOutpostServer({ args: SERVE_ARGS, env });
    try {
      assert.match(server.stdout(), /npx outpost actor create alice/);

      const missing = await fetch(`${server.url}/.well-known/webfinger?resource=acct:alice@social.example`);
      assert.equal(missing.status, 404);

      const discovery = (await (await fetch(`${server.url}/.well-known/nodeinfo`)).json()) as { links: { href: string }[] };
      assert.ok(discovery.links.some((link) => link.href === `${ORIGIN}/nodeinfo/2.1`));
      const nodeInfo = (await (await fetch(`${server.url}/nodeinfo/2.1`)).json()) as {
        protocols: string[];
        usage: { users: { total: number } };
      };
      assert.deepEqual(nodeInfo.protocols, ["activitypub"]);
      assert.equal(nodeInfo.usage.users.total, 0);

      // A second process writes the same database while the server runs.
      const created = await runOutpost({ args: ["actor", "create", "alice"], env });
      assert.equal(created.code, 0, created.stderr);

      const finger = await fetch(`${server.url}/.well-known/webfinger?resource=acct:alice@social.example`);
      assert.equal(finger.status, 200);
      const jrd = (await finger.json()) as { links: { rel: string; href?: string }[] };
      assert.equal(jrd.links.find((link) => link.rel === "self")?.href, `${ORIGIN}/users/alice`);

      const document = await actorDocument(server.url);
      assert.match(created.stdout, new RegExp(fingerprintOf({ publicKeyPem: publicKeyPemOf(document) }).replace(/[+/]/g, "\\$&")));
    } finally {
      assert.equal(await server.stop(), 0, "a graceful stop exits with 0");
    }
  });

  it("serves the same key after a restart, without the hint", async () => {
    const first = await startOutpostServer({ args: SERVE_ARGS, env });
    let pem: string;
    try {
      pem = publicKeyPemOf(await actorDocument(first.url));
    } finally {
      await first.stop();
    }
    const second = await startOutpostServer({ args: SERVE_ARGS, env });
    try {
      assert.equal(publicKeyPemOf(await actorDocument(second.url)), pem);
      assert.doesNotMatch(second.stdout(), /actor create/);
    } finally {
      await second.stop();
    }
  });

  it("refuses an unknown role with exit code 2", async () => {
    const run = await runOutpost({ args: ["serve", "--role", "everything"], env });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Allowed choices are web, worker, all/);
  });
});
