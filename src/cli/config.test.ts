import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveCliConfig, type CliConfigResult } from "./config.ts";

function configOrFail(result: CliConfigResult) {
  assert.ok(result.ok, result.ok ? "" : result.message);
  return result.config;
}

describe("resolveCliConfig", () => {
  it("uses the documented defaults when nothing is set", () => {
    const config = configOrFail(resolveCliConfig({ flags: {}, env: {}, cwd: "/srv/outpost" }));
    assert.equal(config.origin, "http://localhost:8080");
    assert.equal(config.port, 8080);
    assert.equal(config.dataDir, "/srv/outpost/data");
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.allowPrivateAddresses, false);
    assert.equal(config.trustProxy, false);
    assert.equal(config.prefix, "");
    assert.equal(config.logLevel, undefined);
  });

  it("reads the environment and lets flags override it", () => {
    const env = {
      OUTPOST_ORIGIN: "https://env.example",
      PORT: "3000",
      HOST: "127.0.0.1",
      OUTPOST_DATA_DIR: "/var/lib/outpost",
      OUTPOST_ALLOW_PRIVATE_ADDRESSES: "1",
      OUTPOST_TRUST_PROXY: "true",
      OUTPOST_PREFIX: "/activitypub/",
      OUTPOST_LOG_LEVEL: "DEBUG",
    };
    const fromEnv = configOrFail(resolveCliConfig({ flags: {}, env, cwd: "/" }));
    assert.equal(fromEnv.origin, "https://env.example");
    assert.equal(fromEnv.port, 3000);
    assert.equal(fromEnv.host, "127.0.0.1");
    assert.equal(fromEnv.dataDir, "/var/lib/outpost");
    assert.equal(fromEnv.allowPrivateAddresses, true);
    assert.equal(fromEnv.trustProxy, true);
    assert.equal(fromEnv.prefix, "/activitypub");
    assert.equal(fromEnv.logLevel, "debug");

    const flags = { origin: "https://flag.example/", port: "4000", dataDir: "relative" };
    const fromFlags = configOrFail(resolveCliConfig({ flags, env, cwd: "/home/me" }));
    assert.equal(fromFlags.origin, "https://flag.example");
    assert.equal(fromFlags.port, 4000);
    assert.equal(fromFlags.dataDir, "/home/me/relative");
  });

  it("selects PostgreSQL only for a postgres URL", () => {
    const config = configOrFail(
      resolveCliConfig({ flags: {}, env: { OUTPOST_DATABASE_URL: "postgres://db.internal/outpost" }, cwd: "/" }),
    );
    assert.equal(config.databaseUrl, "postgres://db.internal/outpost");
    const wrong = resolveCliConfig({ flags: { databaseUrl: "mysql://db/outpost" }, env: {}, cwd: "/" });
    assert.equal(wrong.ok, false);
  });

  it("names every bad setting in one line", () => {
    const result = resolveCliConfig({
      flags: { port: "eighty" },
      env: { OUTPOST_ORIGIN: "ftp://files.example", OUTPOST_TRUST_PROXY: "maybe" },
      cwd: "/",
    });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.reason, "invalidConfig");
    assert.ok(!result.message.includes("\n"));
    assert.match(result.message, /--port="eighty"/);
    assert.match(result.message, /OUTPOST_ORIGIN="ftp:\/\/files.example"/);
    assert.match(result.message, /OUTPOST_TRUST_PROXY="maybe"/);
  });

  it("refuses an origin with a path and an out-of-range port", () => {
    assert.equal(resolveCliConfig({ flags: { origin: "https://example.com/social" }, env: {}, cwd: "/" }).ok, false);
    assert.equal(resolveCliConfig({ flags: { port: "70000" }, env: {}, cwd: "/" }).ok, false);
    assert.equal(resolveCliConfig({ flags: { port: "0" }, env: {}, cwd: "/" }).ok, true);
  });

  it("treats an empty variable as unset", () => {
    const config = configOrFail(resolveCliConfig({ flags: {}, env: { PORT: "", OUTPOST_DATABASE_URL: "" }, cwd: "/" }));
    assert.equal(config.port, 8080);
    assert.equal(config.databaseUrl, undefined);
  });
});
