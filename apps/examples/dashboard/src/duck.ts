/**
 * @module duck
 * DuckDB-WASM in the page, with its bundle (wasm and worker) served by this app. DuckDB-WASM
 * has no Parquet reader built in and must not try to download extensions, so rows are read from
 * the lake by hyparquet (through `@lakesync/catalogue`) and handed over as Arrow IPC streams.
 */
import * as duckdb from "@duckdb/duckdb-wasm";
import ehWorker from "@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url";
import ehWasm from "@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url";
import type { Row, TableSchema } from "@lakesync/core";
import {
  Bool,
  type DataType,
  Float64,
  Table,
  tableToIPC,
  Utf8,
  type Vector,
  vectorFromArray,
} from "apache-arrow";

/** A connection to the page's DuckDB. */
export type Connection = duckdb.AsyncDuckDBConnection;

/** Starts DuckDB-WASM (the exception-handling bundle) with extension downloads turned off. */
export async function startDuckDB(): Promise<Connection> {
  const worker = new Worker(ehWorker);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(ehWasm);
  await db.open({});
  const connection = await db.connect();
  await connection.query("SET autoinstall_known_extensions = false");
  await connection.query("SET autoload_known_extensions = false");
  return connection;
}

/** Replaces table `name` with `rows` (row id → row) typed by `schema`, as Arrow. */
export async function loadRows(
  connection: Connection,
  name: string,
  schema: TableSchema,
  rows: ReadonlyMap<string, Row>,
): Promise<void> {
  const entries = [...rows];
  const columns: Record<string, Vector<DataType>> = {
    row_id: vectorFromArray(
      entries.map(([id]) => id),
      new Utf8(),
    ),
  };
  for (const column of schema.columns) {
    const values = entries.map(([, row]) => row[column.name] ?? null);
    columns[column.name] =
      column.type === "number"
        ? vectorFromArray(values as (number | null)[], new Float64())
        : column.type === "boolean"
          ? vectorFromArray(values as (boolean | null)[], new Bool())
          : vectorFromArray(
              values.map((v) =>
                v === null ? null : typeof v === "string" ? v : JSON.stringify(v),
              ),
              new Utf8(),
            );
  }
  await connection.query(`DROP TABLE IF EXISTS "${name.replaceAll('"', '""')}"`);
  await connection.insertArrowFromIPCStream(tableToIPC(new Table(columns), "stream"), {
    name,
    create: true,
  });
}

/** Runs `sql`; rows as plain objects (integers as numbers). */
export async function query(
  connection: Connection,
  sql: string,
): Promise<Record<string, unknown>[]> {
  const result = await connection.query(sql);
  return result.toArray().map((row) => {
    const plain = (row as { toJSON(): Record<string, unknown> }).toJSON();
    for (const [k, v] of Object.entries(plain)) if (typeof v === "bigint") plain[k] = Number(v);
    return plain;
  });
}
