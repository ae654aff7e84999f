import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, describe, test } from "node:test";
import pg from "pg";
import { runAccountStoreContract, type OpenedAccountStore } from "./account-store-contract.ts";
import { createSqlAccountStore, sqlAccountStoreOf } from "./sql-account-store.ts";
import { createSqlStore } from "./sql-store.ts";
import type { Store } from "./store.ts";

async function openSqlite(): Promise<OpenedAccountStore> {
  const store = await createSqlStore({ url: ":memory:" });
  return { accounts: createSqlAccountStore({ db: store.db, dialect: store.dialect }), close: () => store.close() };
}

runAccountStoreContract("SQL account store on SQLite", openSqlite);

const postgresUrl = process.env.OUTPOST_TEST_DATABASE_URL;
if (postgresUrl !== undefined) {
  const admin = new pg.Pool({ connectionString: postgresUrl, max: 2 });
  after(() => admin.end());
  runAccountStoreContract("SQL account store on PostgreSQL", async () => {
    const schema = `outpost_test_${randomBytes(6).toString("hex")}`;
    const store = await createSqlStore({ url: postgresUrl, schema, poolSize: 4 });
    return {
      accounts: createSqlAccountStore({ db: store.db, dialect: store.dialect }),
      close: async () => {
        await store.close();
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      },
    };
  });
}

describe("sqlAccountStoreOf", () => {
  test("gives one account store per SQL store, sharing its data", async () => {
    const store = await createSqlStore({ url: ":memory:" });
    try {
      const accounts = sqlAccountStoreOf(store);
      assert.notEqual(accounts, null);
      assert.equal(sqlAccountStoreOf(store), accounts);
      await accounts!.users.create({
        id: "u1",
        username: "alice",
        passwordHash: null,
        admin: false,
        createdAt: "2024-01-01T00:00:00.000Z",
        updatedAt: "2024-01-01T00:00:00.000Z",
      });
      const again = createSqlAccountStore({ db: store.db, dialect: store.dialect });
      assert.equal((await again.users.getByUsername("alice"))?.id, "u1");
    } finally {
      await store.close();
    }
  });

  test("is null for a store without account tables", async () => {
    const store = await createSqlStore({ url: ":memory:" });
    try {
      const foreign: Store = { ...store, db: undefined, dialect: undefined } as unknown as Store;
      assert.equal(sqlAccountStoreOf(foreign), null);
    } finally {
      await store.close();
    }
  });
});
