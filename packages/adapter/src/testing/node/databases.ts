/**
 * @module testing/node/databases
 * The PostgreSQL and MySQL servers tests run against: reachability (skip with a message, or fail
 * under `CI=true`) and a fresh schema or database per test file.
 */
import mysql from "mysql2/promise";
import pg from "pg";

/** Connection settings of the test servers (overridable by environment variables). */
export const PG_URL = process.env.LAKESYNC_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/test";
export const MYSQL_URL = process.env.LAKESYNC_TEST_MYSQL ?? "mysql://root@127.0.0.1:3306/test";

const inCi = process.env.CI === "true";

/**
 * Whether a server answers. Outside CI an absent server makes its tests skip with a message;
 * in CI (`CI=true`) absence is a failure, so the suite can never pass without the real thing.
 */
export async function available(kind: "postgres" | "mysql"): Promise<boolean> {
  try {
    if (kind === "postgres") {
      const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2_000 });
      await client.connect();
      await client.end();
    } else {
      const connection = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 2_000 });
      await connection.end();
    }
    return true;
  } catch (cause) {
    if (inCi)
      throw new Error(`${kind} is not reachable and CI=true: start it (see .ci/run)`, { cause });
    console.warn(
      `skipping ${kind} tests: no server at ${kind === "postgres" ? PG_URL : MYSQL_URL}`,
    );
    return false;
  }
}

/** Creates a fresh schema (Postgres) or database (MySQL) for one test file; returns its name. */
export async function freshNamespace(
  kind: "postgres" | "mysql",
): Promise<{ name: string; drop: () => Promise<void> }> {
  const name = `lakesync_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  if (kind === "postgres") {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA "${name}"`);
    await client.end();
    return {
      name,
      drop: async () => {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP SCHEMA "${name}" CASCADE`);
        await c.end();
      },
    };
  }
  const connection = await mysql.createConnection({ uri: MYSQL_URL });
  await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  await connection.end();
  return {
    name,
    drop: async () => {
      const c = await mysql.createConnection({ uri: MYSQL_URL });
      await c.query(`DROP DATABASE \`${name}\``);
      await c.end();
    },
  };
}
