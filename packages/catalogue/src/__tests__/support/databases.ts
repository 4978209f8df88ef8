import pg from "pg";

/** The test PostgreSQL server (overridable with LAKESYNC_TEST_PG). */
export const PG_URL = process.env.LAKESYNC_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/test";

/**
 * Whether PostgreSQL answers. Outside CI an absent server makes its tests skip with a message;
 * under `CI=true` absence is a failure, so the suite can never pass without the real thing.
 */
export async function postgresAvailable(): Promise<boolean> {
  try {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2_000 });
    await client.connect();
    await client.end();
    return true;
  } catch (cause) {
    if (process.env.CI === "true")
      throw new Error("postgres is not reachable and CI=true: start it (see .ci/run)", { cause });
    console.warn(`skipping PostgreSQL catalogue tests: no server at ${PG_URL}`);
    return false;
  }
}

/** Creates a fresh schema for one test file; `drop` removes it and everything in it. */
export async function freshSchema(): Promise<{ name: string; drop: () => Promise<void> }> {
  const name = `lakesync_cat_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
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
