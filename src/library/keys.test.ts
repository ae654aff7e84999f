import assert from "node:assert/strict";
import { generateKeyPairSync, sign, verify } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { exportKeyPairPem, generateKeyPair, KeyError, loadKeyPair, resolveKeyInput, samePublicKey } from "./keys.ts";

describe("library keys", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "outpost-keys-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("generates an RSA-2048 pair that exports to PEM and loads back as the same key", async () => {
    const pair = await generateKeyPair();
    assert.equal(pair.privateKey.asymmetricKeyDetails?.modulusLength, 2048);
    const pem = exportKeyPairPem(pair);
    assert.match(pem.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.match(pem.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n/);

    const file = join(dir, "blog.pem");
    await writeFile(file, pem.privateKeyPem);
    const loaded = await loadKeyPair({ file });
    const data = Buffer.from("a delivery");
    assert.ok(verify("sha256", data, loaded.publicKey, sign("sha256", data, pair.privateKey)), "the derived public key verifies");
    assert.deepEqual(exportKeyPairPem(loaded), pem);
  });

  it("loads a PKCS#1 private key and derives its public half", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pkcs1 = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    assert.match(pkcs1, /BEGIN RSA PRIVATE KEY/);
    const loaded = await loadKeyPair({ pem: pkcs1 });
    assert.ok(samePublicKey({ a: exportKeyPairPem(loaded).publicKeyPem, b: publicKey.export({ type: "spki", format: "pem" }).toString() }));
  });

  it("reports a missing key file as missing, with what to do", async () => {
    await assert.rejects(loadKeyPair({ file: join(dir, "nowhere.pem") }), (error: unknown) => {
      assert.ok(error instanceof KeyError);
      assert.equal(error.reason, "missing");
      assert.match(error.message, /nowhere\.pem/);
      assert.match(error.message, /generateKeyPair/);
      return true;
    });
    await assert.rejects(loadKeyPair({ pem: "  \n" }), { name: "KeyError", reason: "missing" });
  });

  it("reports text that is not a private key PEM as malformed", async () => {
    await assert.rejects(loadKeyPair({ pem: "not a key" }), { name: "KeyError", reason: "malformed" });
    await assert.rejects(loadKeyPair({ pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" }), {
      name: "KeyError",
      reason: "malformed",
    });
    const { publicKeyPem } = exportKeyPairPem(await generateKeyPair());
    await assert.rejects(loadKeyPair({ pem: publicKeyPem }), (error: unknown) => {
      assert.ok(error instanceof KeyError);
      assert.equal(error.reason, "malformed");
      assert.match(error.message, /public key/);
      return true;
    });
  });

  it("refuses key types other servers cannot verify", async () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    await assert.rejects(loadKeyPair({ pem: privateKey.export({ type: "pkcs8", format: "pem" }).toString() }), {
      name: "KeyError",
      reason: "unsupported",
    });
  });

  it("accepts every form of key input as the same PEM pair", async () => {
    const pair = await generateKeyPair();
    const pem = exportKeyPairPem(pair);
    const file = join(dir, "input.pem");
    await writeFile(file, pem.privateKeyPem);
    for (const key of [pair, pem, { pem: pem.privateKeyPem }, { file }]) {
      assert.deepEqual(await resolveKeyInput({ key }), pem);
    }
  });

  it("compares public keys by value, not by text", async () => {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const spki = publicKey.export({ type: "spki", format: "pem" }).toString();
    const pkcs1 = publicKey.export({ type: "pkcs1", format: "pem" }).toString();
    assert.ok(samePublicKey({ a: spki, b: pkcs1.replace(/\n/g, "\r\n") }));
    assert.equal(samePublicKey({ a: spki, b: exportKeyPairPem(await generateKeyPair()).publicKeyPem }), false);
  });
});
