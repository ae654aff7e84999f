import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { promisify } from "node:util";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { CompiledQuery, Kysely, Migrator } from "kysely";
import { createSqlStore } from "../sql-store.ts";
import { createNodeSqliteDialect } from "../sqlite-dialect.ts";
import { createMigrationProvider, migrations } from "./index.ts";
import { migratedSqliteSchema, readSqliteSchema } from "./migrate.ts";
import { SQLITE_BASELINE } from "./sqlite-baseline.ts";

const dirs: string[] = [];
function freshFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "outpost-migrate-"));
  dirs.push(dir);
  return join(dir, "store.sqlite");
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A Kysely handle on a SQLite file, outside any store. */
async function withFile<T>(path: string, use: (db: Kysely<any>) => Promise<T>): Promise<T> {
  const db = new Kysely<any>({ dialect: createNodeSqliteDialect(path, { walCheckpointer: false }) });
  try {
    return await use(db);
  } finally {
    await db.destroy();
  }
}

const run = promisify(execFile);
const ALL_MIGRATIONS = Object.keys(migrations).sort();

describe("migrating a SQLite store", () => {
  test("the baseline is what the migrations build, step by step", async () => {
    assert.deepEqual(
      await migratedSqliteSchema(),
      SQLITE_BASELINE,
      "src/store/migrations/sqlite-baseline.ts no longer matches the migrations: run `node scripts/sqlite-baseline.ts`",
    );
  });

  test("a new file gets the whole schema, and the Migrator finds nothing left to do", async () => {
    const path = freshFile();
    const store = await createSqlStore({ url: path });
    await store.close();
    await withFile(path, async (db) => {
      assert.deepEqual(await readSqliteSchema(db), await migratedSqliteSchema());
      const { results, error } = await new Migrator({ db, provider: createMigrationProvider("sqlite") }).migrateToLatest();
      assert.equal(error, undefined);
      assert.deepEqual(results, []);
    });
  });

  test("a file that lacks the newest migrations gets them", async () => {
    const path = freshFile();
    const older = ALL_MIGRATIONS.at(-2)!;
    await withFile(path, async (db) => {
      const { error } = await new Migrator({ db, provider: createMigrationProvider("sqlite") }).migrateTo(older);
      assert.equal(error, undefined);
      assert.equal((await readSqliteSchema(db)).migrations.at(-1), older);
    });
    const store = await createSqlStore({ url: path });
    await store.close();
    await withFile(path, async (db) => {
      assert.deepEqual(await readSqliteSchema(db), await migratedSqliteSchema());
    });
  });

  test("a file that already holds other tables keeps them and gets Outpost's beside them", async () => {
    const path = freshFile();
    await withFile(path, async (db) => {
      await db.executeQuery(CompiledQuery.raw("create table site_pages (slug text primary key, body text not null)"));
      await db.executeQuery(CompiledQuery.raw("insert into site_pages values ('about', 'Hello')"));
    });
    const store = await createSqlStore({ url: path });
    await store.close();
    await withFile(path, async (db) => {
      const { rows } = await db.executeQuery<{ body: string }>(CompiledQuery.raw("select body from site_pages"));
      assert.deepEqual(rows, [{ body: "Hello" }]);
      const schema = await readSqliteSchema(db);
      assert.deepEqual(schema.migrations, ALL_MIGRATIONS);
      const expected = await migratedSqliteSchema();
      for (const statement of expected.statements) assert.ok(schema.statements.includes(statement), `missing: ${statement}`);
    });
  });

  test("two processes opening one new file together build its schema once", async () => {
    const path = freshFile();
    const script = `
      const { createSqlStore } = await import(${JSON.stringify(new URL("../sql-store.ts", import.meta.url).href)});
      const store = await createSqlStore({ url: process.argv[1] });
      await store.close();`;
    const open = () => run(process.execPath, ["--input-type=module", "--eval", script, path]);
    await Promise.all([open(), open()]);
    await withFile(path, async (db) => {
      assert.deepEqual(await readSqliteSchema(db), await migratedSqliteSchema());
    });
  });
});
