import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { MySQLAdapter, PostgresAdapter, S3Adapter } from "@lakesync/adapter/node";
import {
  available,
  freshNamespace,
  MYSQL_URL,
  PG_URL,
  startLocalS3,
} from "@lakesync/adapter/testing/node";
import { type HLCTimestamp, type TableSchema, unwrapOrThrow } from "@lakesync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "./support/cli-harness.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lakesync-cli-migrate-"));
  await mkdir(join(dir, "source", "todos", "data"), { recursive: true });
  await writeFile(join(dir, "source", "todos", "data", "a.parquet"), "aaaa");
  await writeFile(join(dir, "source", "todos", "data", "b.parquet"), "bbbbbbbb");
  await writeFile(join(dir, "source", "other.json"), "{}");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("lakesync migrate between lakes", () => {
  it("copies every object from file: to file:, then resumes by skipping what is there", async () => {
    const to = pathToFileURL(join(dir, "copy")).href;
    const first = await cli(["migrate", "--from", "file:source", "--to", to], { cwd: dir });
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/: 3 objects copied\n$/);
    expect(first.err).toMatch(/^copy objects: 3\/3 /m);
    expect(await readFile(join(dir, "copy", "todos", "data", "b.parquet"), "utf8")).toBe(
      "bbbbbbbb",
    );
    const again = await cli(["migrate", "--from", "file:source", "--to", to, "--json"], {
      cwd: dir,
    });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ copied: 0, skipped: 3 });
  });

  it("--prefix copies only the objects under it", async () => {
    const ran = await cli(
      ["migrate", "--from", "file:source", "--to", "file:part", "--prefix", "todos/", "--json"],
      { cwd: dir },
    );
    expect(ran.code, ran.err).toBe(0);
    expect(JSON.parse(ran.out)).toMatchObject({ copied: 2, skipped: 0 });
  });

  it("copies a local lake to S3", async () => {
    const s3 = await startLocalS3("migrated");
    try {
      const url = `s3://${s3.bucket}?endpoint=${encodeURIComponent(s3.endpoint)}&list-api=v1`;
      const ran = await cli(["migrate", "--from", "file:source", "--to", url], {
        cwd: dir,
        env: {
          AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
        },
      });
      expect(ran.code, ran.err).toBe(0);
      expect(ran.out).toContain(`-> s3://${s3.bucket}: 3 objects copied`);
      const adapter = new S3Adapter({
        bucket: s3.bucket,
        endpoint: s3.endpoint,
        credentials: s3.credentials,
        forcePathStyle: true,
        listApi: "v1",
      });
      const listed = unwrapOrThrow(await adapter.listObjects(""));
      expect(listed.map((o) => o.key).sort()).toEqual([
        "other.json",
        "todos/data/a.parquet",
        "todos/data/b.parquet",
      ]);
    } finally {
      await s3.stop();
    }
  });

  it.each([
    [
      ["--from", "file:a", "--to", "postgres://x@127.0.0.1/db"],
      "cannot migrate from a lake to a database",
    ],
    [["--from", "ftp://host/x", "--to", "file:b"], "unsupported URL ftp:"],
    [["--from", "s3://bucket/some/prefix", "--to", "file:b"], "copy part of it with --prefix"],
    [
      ["--from", "file:a", "--to", "file:b", "--schema", "s.json"],
      "--schema and --table are for databases",
    ],
    [["--from", "mysql://root@127.0.0.1/a", "--to", "mysql://root@127.0.0.1/b"], "needs --schema"],
  ])("%j is a usage error (exit 2): %s", async (argv, message) => {
    const ran = await cli(["migrate", ...argv], { cwd: dir });
    expect(ran.code).toBe(2);
    expect(ran.err).toContain(message);
  });
});

const TODOS: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "done", type: "boolean" },
    { name: "meta", type: "json" },
  ],
};
const pg = await available("postgres");
const mysql = await available("mysql");

describe.skipIf(!pg || !mysql)("lakesync migrate between PostgreSQL and MySQL", () => {
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const drop of drops) await drop();
  });

  it("copies rows PostgreSQL -> MySQL -> PostgreSQL with --schema, idempotently", async () => {
    const source = await freshNamespace("postgres");
    const middle = await freshNamespace("mysql");
    const back = await freshNamespace("postgres");
    drops.push(source.drop, middle.drop, back.drop);
    const pgUrl = (schema: string) => {
      const url = new URL(PG_URL);
      url.searchParams.set("schema", schema);
      return url.href;
    };
    const mysqlUrl = new URL(MYSQL_URL);
    mysqlUrl.pathname = `/${middle.name}`;
    const seed = new PostgresAdapter({ connectionString: PG_URL, schema: source.name });
    unwrapOrThrow(await seed.ensureTable(TODOS));
    unwrapOrThrow(
      await seed.putRows(
        "todos",
        Array.from({ length: 25 }, (_, i) => ({
          rowId: `t${i}`,
          hlc: BigInt(1_000 + i) as HLCTimestamp,
          clientId: "seed",
          columns: [
            { column: "title", value: `todo ${i}` },
            { column: "done", value: i % 2 === 0 },
            { column: "meta", value: { n: i } },
          ],
        })),
      ),
    );
    await seed.close();
    const schemaFile = join(dir, "schema.json");
    await writeFile(schemaFile, JSON.stringify({ version: 1, tables: [TODOS] }));

    const there = await cli([
      "migrate",
      "--from",
      pgUrl(source.name),
      "--to",
      mysqlUrl.href,
      "--schema",
      schemaFile,
      "--batch-size",
      "10",
    ]);
    expect(there.code, there.err).toBe(0);
    expect(there.out).toMatch(/: 25 rows copied\n$/);
    expect(there.err).toMatch(/^copy rows of todos: 25\/25/m);
    const again = await cli([
      "migrate",
      "--from",
      pgUrl(source.name),
      "--to",
      mysqlUrl.href,
      "--schema",
      schemaFile,
    ]);
    expect(again.code, again.err).toBe(0);

    const home = await cli([
      "migrate",
      "--from",
      mysqlUrl.href,
      "--to",
      pgUrl(back.name),
      "--schema",
      schemaFile,
      "--table",
      "todos",
      "--json",
    ]);
    expect(home.code, home.err).toBe(0);
    expect(JSON.parse(home.out)).toMatchObject({ copied: 25 });

    const inMySql = new MySQLAdapter({ uri: mysqlUrl.href });
    const landed = new PostgresAdapter({ connectionString: PG_URL, schema: back.name });
    try {
      unwrapOrThrow(await inMySql.ensureTable(TODOS));
      unwrapOrThrow(await landed.ensureTable(TODOS));
      const rows = unwrapOrThrow(await inMySql.getRows("todos"));
      expect(rows).toHaveLength(25);
      const roundTrip = unwrapOrThrow(await landed.getRows("todos"));
      const byId = new Map(roundTrip.map((r) => [r.rowId, r.values]));
      expect(byId.get("t3")).toEqual({ title: "todo 3", done: false, meta: { n: 3 } });
      expect(byId.size).toBe(25);
    } finally {
      await inMySql.close();
      await landed.close();
    }
  });

  it("a database that cannot be reached stops the migration (exit 1) in words", async () => {
    const schemaFile = join(dir, "schema.json");
    await writeFile(schemaFile, JSON.stringify([TODOS]));
    const ran = await cli([
      "migrate",
      "--from",
      "postgres://postgres@127.0.0.1:9/none",
      "--to",
      MYSQL_URL,
      "--schema",
      schemaFile,
    ]);
    expect(ran.code).toBe(1);
    expect(ran.err).toMatch(/^lakesync migrate: /);
    expect(ran.err).not.toMatch(/\n\s+at /);
  });
});
