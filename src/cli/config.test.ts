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

  it("sizes the PostgreSQL pool from OUTPOST_DB_POOL_SIZE, 10 by default", () => {
    assert.equal(configOrFail(resolveCliConfig({ flags: {}, env: {}, cwd: "/" })).databasePoolSize, 10);
    const sized = configOrFail(resolveCliConfig({ flags: {}, env: { OUTPOST_DB_POOL_SIZE: "25" }, cwd: "/" }));
    assert.equal(sized.databasePoolSize, 25);
    const wrong = resolveCliConfig({ flags: {}, env: { OUTPOST_DB_POOL_SIZE: "0" }, cwd: "/" });
    assert.equal(wrong.ok, false);
    assert.match(wrong.ok ? "" : wrong.message, /OUTPOST_DB_POOL_SIZE="0"/);
  });

  it("takes the PostgreSQL schema from ?schema= in the URL or from OUTPOST_DATABASE_SCHEMA", () => {
    const inUrl = configOrFail(
      resolveCliConfig({ flags: {}, env: { OUTPOST_DATABASE_URL: "postgres://db/outpost?schema=social&sslmode=require" }, cwd: "/" }),
    );
    assert.equal(inUrl.databaseSchema, "social");
    assert.equal(inUrl.databaseUrl, "postgres://db/outpost?sslmode=require", "the driver never sees the parameter");
    const fromVariable = configOrFail(
      resolveCliConfig({ flags: {}, env: { OUTPOST_DATABASE_URL: "postgres://db/outpost", OUTPOST_DATABASE_SCHEMA: "social" }, cwd: "/" }),
    );
    assert.equal(fromVariable.databaseSchema, "social");
    assert.equal(fromVariable.databaseUrl, "postgres://db/outpost");
    const onSqlite = configOrFail(resolveCliConfig({ flags: {}, env: { OUTPOST_DATABASE_SCHEMA: "social" }, cwd: "/" }));
    assert.equal(onSqlite.databaseSchema, undefined);
  });

  it("refuses a schema name that is not a plain identifier, or two schemas that disagree", () => {
    const quoted = resolveCliConfig({ flags: {}, env: { OUTPOST_DATABASE_URL: 'postgres://db/o?schema=a";drop' }, cwd: "/" });
    assert.equal(quoted.ok, false);
    const contradicting = resolveCliConfig({
      flags: {},
      env: { OUTPOST_DATABASE_URL: "postgres://db/o?schema=one", OUTPOST_DATABASE_SCHEMA: "two" },
      cwd: "/",
    });
    assert.equal(contradicting.ok, false);
    assert.match(contradicting.ok ? "" : contradicting.message, /contradicts/);
  });

  it("reads the job lease from OUTPOST_JOB_LEASE_MS, refusing one too short to be safe", () => {
    assert.equal(configOrFail(resolveCliConfig({ flags: {}, env: {}, cwd: "/" })).jobLeaseMs, undefined);
    const leased = configOrFail(resolveCliConfig({ flags: {}, env: { OUTPOST_JOB_LEASE_MS: "120000" }, cwd: "/" }));
    assert.equal(leased.jobLeaseMs, 120_000);
    assert.equal(resolveCliConfig({ flags: {}, env: { OUTPOST_JOB_LEASE_MS: "10" }, cwd: "/" }).ok, false);
  });

  it("turns chat posting on for one account only with a secret to check", () => {
    assert.equal(configOrFail(resolveCliConfig({ flags: {}, env: {}, cwd: "/" })).chatPost, undefined);
    const env = { OUTPOST_CHAT_POST_ACTOR: "news", OUTPOST_CHAT_POST_SECRET: "a-long-enough-secret" };
    assert.deepEqual(configOrFail(resolveCliConfig({ flags: {}, env, cwd: "/" })).chatPost, {
      actor: "news",
      bearerSecret: "a-long-enough-secret",
    });
    const noSecret = resolveCliConfig({ flags: {}, env: { OUTPOST_CHAT_POST_ACTOR: "news" }, cwd: "/" });
    assert.equal(noSecret.ok, false);
    assert.match(noSecret.ok ? "" : noSecret.message, /OUTPOST_CHAT_POST_SECRET or OUTPOST_SLACK_SIGNING_SECRET/);
    const noActor = resolveCliConfig({ flags: {}, env: { OUTPOST_SLACK_SIGNING_SECRET: "s" }, cwd: "/" });
    assert.equal(noActor.ok, false);
    const shortSecret = resolveCliConfig({ flags: {}, env: { ...env, OUTPOST_CHAT_POST_SECRET: "short" }, cwd: "/" });
    assert.equal(shortSecret.ok, false);
  });

  it("treats an empty variable as unset", () => {
    const config = configOrFail(resolveCliConfig({ flags: {}, env: { PORT: "", OUTPOST_DATABASE_URL: "" }, cwd: "/" }));
    assert.equal(config.port, 8080);
    assert.equal(config.databaseUrl, undefined);
  });
});
