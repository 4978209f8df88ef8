/**
 * @module bench/adapter
 * Column-level upserts into PostgreSQL and MariaDB against plain driver inserts, and object
 * put/get on s3rver and the file system.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  FileSystemAdapter,
  type LakeAdapter,
  MySQLAdapter,
  PostgresAdapter,
  S3Adapter,
} from "@lakesync/adapter/node";
import { freshNamespace, MYSQL_URL, PG_URL, startLocalS3 } from "@lakesync/adapter/testing/node";
import type { HLCTimestamp } from "@lakesync/core";
import { unwrapOrThrow } from "@lakesync/core";
import mysql from "mysql2/promise";
import pg from "pg";

import { type BenchRow, measure, table } from "./harness.js";

const N = Number(process.env.BENCH_ADAPTER_ROWS ?? 100_000);
const log = (msg: string) => process.stderr.write(`  ${msg}\n`);
const schema = {
  table: "bench",
  columns: [
    { name: "title", type: "string" as const },
    { name: "priority", type: "number" as const },
    { name: "done", type: "boolean" as const },
  ],
};
let round = 0;
const writes = () => {
  round++;
  const hlc = (BigInt(1_750_000_000_000 + round) << 16n) as HLCTimestamp;
  return Array.from({ length: N }, (_, i) => ({
    rowId: `row-${i}`,
    hlc,
    clientId: "bench",
    columns: [
      { column: "title", value: `todo ${i} of round ${round}` },
      { column: "priority", value: i % 5 },
      { column: "done", value: i % 2 === 0 },
    ],
  }));
};
const rows: BenchRow[] = [];

async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (N * 1000) / (performance.now() - t0);
}

// PostgreSQL
{
  const ns = await freshNamespace("postgres");
  const adapter = new PostgresAdapter({ connectionString: PG_URL, schema: ns.name });
  unwrapOrThrow(await adapter.ensureTable(schema));
  log(`postgres: ${N} rows`);
  const insert = await timed(async () => unwrapOrThrow(await adapter.putRows("bench", writes())));
  const update = await timed(async () => unwrapOrThrow(await adapter.putRows("bench", writes())));
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(
    `CREATE TABLE "${ns.name}".plain (id TEXT PRIMARY KEY, title TEXT, priority DOUBLE PRECISION, done BOOLEAN)`,
  );
  const plain = await timed(async () => {
    await client.query("BEGIN");
    for (let i = 0; i < N; i += 5000) {
      const params: unknown[] = [];
      const values: string[] = [];
      for (let k = i; k < Math.min(N, i + 5000); k++) {
        const n = params.length;
        values.push(`($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4})`);
        params.push(`row-${k}`, `todo ${k}`, k % 5, k % 2 === 0);
      }
      await client.query(
        `INSERT INTO "${ns.name}".plain VALUES ${values.join(", ")} ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title`,
        params,
      );
    }
    await client.query("COMMIT");
  });
  await client.end();
  await adapter.close();
  await ns.drop();
  rows.push(
    {
      name: "PostgreSQL multi-row INSERT (pg, direct)",
      opsPerSec: plain,
      unit: "rows",
      note: `${N / 1e3}k rows, one transaction`,
    },
    {
      name: "PostgresAdapter.putRows, new rows",
      opsPerSec: insert,
      unit: "rows",
      baseline: "PostgreSQL multi-row INSERT (pg, direct)",
      note: "reads, merges per column, upserts",
    },
    {
      name: "PostgresAdapter.putRows, newer values",
      opsPerSec: update,
      unit: "rows",
      baseline: "PostgreSQL multi-row INSERT (pg, direct)",
    },
  );
}

// MariaDB / MySQL
{
  const ns = await freshNamespace("mysql");
  const adapter = new MySQLAdapter({ uri: MYSQL_URL, database: ns.name });
  unwrapOrThrow(await adapter.ensureTable(schema));
  log(`mysql: ${N} rows`);
  const insert = await timed(async () => unwrapOrThrow(await adapter.putRows("bench", writes())));
  const update = await timed(async () => unwrapOrThrow(await adapter.putRows("bench", writes())));
  const connection = await mysql.createConnection({ uri: MYSQL_URL });
  await connection.query(
    `CREATE TABLE \`${ns.name}\`.plain (id VARCHAR(255) PRIMARY KEY, title LONGTEXT, priority DOUBLE, done BOOLEAN)`,
  );
  const plain = await timed(async () => {
    await connection.beginTransaction();
    for (let i = 0; i < N; i += 5000) {
      const params: unknown[] = [];
      for (let k = i; k < Math.min(N, i + 5000); k++)
        params.push([`row-${k}`, `todo ${k}`, k % 5, k % 2 === 0 ? 1 : 0]);
      await connection.query(
        `INSERT INTO \`${ns.name}\`.plain VALUES ? ON DUPLICATE KEY UPDATE title = VALUES(title)`,
        [params],
      );
    }
    await connection.commit();
  });
  await connection.end();
  await adapter.close();
  await ns.drop();
  rows.push(
    {
      name: "MariaDB multi-row INSERT (mysql2, direct)",
      opsPerSec: plain,
      unit: "rows",
      note: `${N / 1e3}k rows, one transaction`,
    },
    {
      name: "MySQLAdapter.putRows, new rows",
      opsPerSec: insert,
      unit: "rows",
      baseline: "MariaDB multi-row INSERT (mysql2, direct)",
    },
    {
      name: "MySQLAdapter.putRows, newer values",
      opsPerSec: update,
      unit: "rows",
      baseline: "MariaDB multi-row INSERT (mysql2, direct)",
    },
  );
}

// Objects
async function objects(
  name: string,
  lake: LakeAdapter,
  size: number,
  count: number,
): Promise<void> {
  const data = new Uint8Array(size).fill(7);
  let i = 0;
  const put = await measure(
    async () => unwrapOrThrow(await lake.putObject(`bench/${size}/${i++ % count}`, data)),
    { minMs: 1500 },
  );
  const get = await measure(
    async () => unwrapOrThrow(await lake.getObject(`bench/${size}/${i++ % count}`)),
    { minMs: 1500 },
  );
  const label = size >= 1024 * 1024 ? "1 MB" : "1 KB";
  rows.push(
    {
      name: `${name}: put ${label}`,
      opsPerSec: put,
      unit: "objects",
      note: `${((put * size) / 1024 / 1024).toFixed(1)} MB/s`,
    },
    {
      name: `${name}: get ${label}`,
      opsPerSec: get,
      unit: "objects",
      note: `${((get * size) / 1024 / 1024).toFixed(1)} MB/s`,
    },
  );
}
const s3 = await startLocalS3();
const dir = mkdtempSync(join(tmpdir(), "lakesync-bench-"));
try {
  log("objects");
  const fs = new FileSystemAdapter({ root: dir });
  const s3Lake = new S3Adapter({
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    credentials: s3.credentials,
    listApi: "v1",
  });
  for (const size of [1024, 1024 * 1024]) {
    await objects("FileSystemAdapter", fs, size, 20);
    await objects("S3Adapter on s3rver", s3Lake, size, 20);
  }
} finally {
  await s3.stop();
  rmSync(dir, { recursive: true, force: true });
}

process.stdout.write(table("adapter: database upserts and object storage", rows));
