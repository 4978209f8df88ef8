/**
 * @module flush/write-flush
 * Writing one batch of buffered deltas to a flush target.
 */
import {
  type ColumnDelta,
  Err,
  FlushError,
  type HLCTimestamp,
  Ok,
  type Result,
  type TableSchema,
} from "@lakesync/core";
import { writeDeltasToParquet } from "@lakesync/parquet";
import type { LogEntry } from "../log/log-entry.js";
import { flushPath } from "./flush-path.js";
import { type FlushTarget, isRowWriter } from "./flush-target.js";
import { encodeEnvelope } from "./json-envelope.js";

/** What a successful flush wrote. */
export interface FlushReport {
  readonly deltaCount: number;
  /** The highest sequence number flushed. */
  readonly through: HLCTimestamp;
  /** Object keys written (lake targets). */
  readonly paths: readonly string[];
  /** Tables written (database targets). */
  readonly tables: readonly string[];
  readonly bytes: number;
}

/**
 * Writes `entries` (non-empty, in seq order) to the target. A lake gets one file holding the
 * whole batch: Parquet typed by the table's schema when the batch is for one known table, JSON
 * text columns otherwise. A database gets column-level upserts and tombstones per table.
 * Returns `Err(FlushError)` with the cause; nothing is retried here.
 */
export async function writeFlush(
  target: FlushTarget,
  gatewayId: string,
  entries: readonly LogEntry[],
  schemaOf: (table: string) => TableSchema | undefined,
  at: Date,
): Promise<Result<FlushReport, FlushError>> {
  const first = entries[0];
  const last = entries[entries.length - 1];
  if (!first || !last) return Err(new FlushError("nothing to flush"));
  const range = { min: first.seq, max: last.seq };
  if (target.kind === "database") {
    return flushToDatabase(target.adapter, entries, schemaOf, range.max);
  }
  if (target.kind === "composite") {
    const groups = new Map<string, LogEntry[]>();
    for (const entry of entries) {
      const group = groups.get(entry.delta.table);
      if (group) group.push(entry);
      else groups.set(entry.delta.table, [entry]);
    }
    const paths: string[] = [];
    const tables: string[] = [];
    let bytes = 0;
    for (const [table, group] of groups) {
      const adapter = target.adapter.adapterFor(table);
      const sub: FlushTarget = isRowWriter(adapter)
        ? { kind: "database", adapter }
        : {
            kind: "lake",
            adapter,
            ...(target.format ? { format: target.format } : {}),
            ...(target.compression ? { compression: target.compression } : {}),
          };
      const written = await writeFlush(sub, gatewayId, group, schemaOf, at);
      if (!written.ok) return written;
      paths.push(...written.value.paths);
      tables.push(...written.value.tables);
      bytes += written.value.bytes;
    }
    return Ok({ deltaCount: entries.length, through: range.max, paths, tables, bytes });
  }
  const format = target.format ?? "parquet";
  let bytes: Uint8Array;
  if (format === "json") {
    bytes = encodeEnvelope(gatewayId, entries, range, at);
  } else {
    const deltas = entries.map((e) => e.delta);
    const table = first.delta.table;
    const single = deltas.every((d) => d.table === table);
    const written = writeDeltasToParquet(deltas, single ? schemaOf(table) : undefined, {
      compression: target.compression ?? "snappy",
    });
    if (!written.ok)
      return Err(
        new FlushError(`could not encode Parquet: ${written.error.message}`, {
          cause: written.error,
        }),
      );
    bytes = written.value;
  }
  const path = flushPath(gatewayId, range.min, range.max, format, at);
  const put = await target.adapter.putObject(
    path,
    bytes,
    format === "json" ? "application/json" : "application/vnd.apache.parquet",
  );
  if (!put.ok)
    return Err(
      new FlushError(`could not write ${path}: ${put.error.message}`, { cause: put.error }),
    );
  return Ok({
    deltaCount: entries.length,
    through: range.max,
    paths: [path],
    tables: [],
    bytes: bytes.byteLength,
  });
}

async function flushToDatabase(
  adapter: Extract<FlushTarget, { kind: "database" }>["adapter"],
  entries: readonly LogEntry[],
  schemaOf: (table: string) => TableSchema | undefined,
  through: HLCTimestamp,
): Promise<Result<FlushReport, FlushError>> {
  const byTable = new Map<
    string,
    {
      puts: { rowId: string; hlc: HLCTimestamp; columns: readonly ColumnDelta[] }[];
      deletes: { rowId: string; hlc: HLCTimestamp }[];
    }
  >();
  for (const { delta } of entries) {
    let group = byTable.get(delta.table);
    if (!group) {
      group = { puts: [], deletes: [] };
      byTable.set(delta.table, group);
    }
    if (delta.op === "DELETE") group.deletes.push({ rowId: delta.rowId, hlc: delta.hlc });
    else group.puts.push({ rowId: delta.rowId, hlc: delta.hlc, columns: delta.columns });
  }
  for (const [table, { puts, deletes }] of byTable) {
    const schema = schemaOf(table);
    if (!schema) return Err(new FlushError(`no schema for table "${table}": cannot create it`));
    const ensured = await adapter.ensureTable(schema);
    if (!ensured.ok)
      return Err(
        new FlushError(`could not prepare table "${table}": ${ensured.error.message}`, {
          cause: ensured.error,
        }),
      );
    if (puts.length > 0) {
      const put = await adapter.putRows(table, puts);
      if (!put.ok)
        return Err(
          new FlushError(`could not write rows of "${table}": ${put.error.message}`, {
            cause: put.error,
          }),
        );
    }
    if (deletes.length > 0) {
      const deleted = await adapter.deleteRows(table, deletes);
      if (!deleted.ok)
        return Err(
          new FlushError(`could not delete rows of "${table}": ${deleted.error.message}`, {
            cause: deleted.error,
          }),
        );
    }
  }
  return Ok({
    deltaCount: entries.length,
    through,
    paths: [],
    tables: [...byTable.keys()],
    bytes: 0,
  });
}
