/**
 * @module flush/flush-target
 * Where a gateway flushes its buffer: an object store (the lake) or a relational database.
 * Declared structurally, so every `LakeAdapter` and `DatabaseAdapter` of @lakesync/adapter
 * fits without this package depending on a particular implementation.
 */
import type { ColumnDelta, HLCTimestamp, LakeSyncError, Result, TableSchema } from "@lakesync/core";

/** The part of a `LakeAdapter` a flush needs. */
export interface LakeWriter {
  putObject(
    path: string,
    data: Uint8Array,
    contentType?: string,
  ): Promise<Result<void, LakeSyncError>>;
  getObject(path: string): Promise<Result<Uint8Array, LakeSyncError>>;
  listObjects(
    prefix: string,
  ): Promise<Result<readonly { key: string; size: number; lastModified: Date }[], LakeSyncError>>;
}

/** The part of a `DatabaseAdapter` a flush needs. */
export interface RowWriter {
  ensureTable(schema: TableSchema): Promise<Result<void, LakeSyncError>>;
  putRows(
    table: string,
    rows: readonly { rowId: string; hlc: HLCTimestamp; columns: readonly ColumnDelta[] }[],
  ): Promise<Result<void, LakeSyncError>>;
  deleteRows(
    table: string,
    rows: readonly { rowId: string; hlc: HLCTimestamp }[],
  ): Promise<Result<void, LakeSyncError>>;
}

/** The file format of lake flushes. */
export type FlushFormat = "parquet" | "json";

/** A flush destination. */
export type FlushTarget =
  | {
      readonly kind: "lake";
      readonly adapter: LakeWriter;
      /** Defaults to `parquet`. */
      readonly format?: FlushFormat;
      /** Parquet compression; defaults to `snappy`. */
      readonly compression?: "snappy" | "zstd" | "none";
    }
  | { readonly kind: "database"; readonly adapter: RowWriter }
  | {
      /**
       * Per-table routing, e.g. a `CompositeAdapter`: `todos` to PostgreSQL, the rest to the
       * lake. Each flush splits its batch by table and writes every group to its adapter.
       */
      readonly kind: "composite";
      readonly adapter: { adapterFor(table: string): LakeWriter | RowWriter };
      readonly format?: FlushFormat;
      readonly compression?: "snappy" | "zstd" | "none";
    };

/** True when an adapter can take rows (it is a database). */
export function isRowWriter(adapter: LakeWriter | RowWriter): adapter is RowWriter {
  return typeof (adapter as Partial<RowWriter>).putRows === "function";
}
