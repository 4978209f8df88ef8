/**
 * @module lakesync/layout
 * The names of LakeSync's lake layout on Iceberg (ADR-014): for a synced table `T` in namespace
 * `ns`, the table users query (`ns.T`), its merge metadata (`ns._lakesync_state_T`) and the
 * gateway's history of raw deltas (`ns._lakesync_history`); the `bucket[N](row_id)` partition
 * spec; the directory each table lives in; and the snapshot-summary keys a flush records.
 */
import type { HLCTimestamp } from "@lakesync/core";
import type { Namespace, TableIdentifier } from "../catalogue/catalogue.js";
import { hashString } from "../iceberg/bucket-transform.js";
import type { PartitionSpec } from "../iceberg/types.js";
import type { LakeLocation } from "../lake/lake-location.js";

/** The identifier column of every LakeSync table (field id 1). */
export const ROW_ID_COLUMN = "row_id";
/** The field id of `row_id`, in every table of the layout. */
export const ROW_ID_FIELD_ID = 1;
/** The append-only history of a gateway's raw deltas, one per namespace. */
export const HISTORY_TABLE = "_lakesync_history";
/** Prefix of the table holding a synced table's merge metadata. */
export const STATE_TABLE_PREFIX = "_lakesync_state_";
/** Buckets of the `row_id` partition spec unless configured. */
export const DEFAULT_BUCKETS = 16;
/** The name of the `bucket[N](row_id)` partition field. */
export const ROW_ID_BUCKET_FIELD = "row_id_bucket";

/** Snapshot-summary key: the gateway whose flush made the snapshot. */
export const GATEWAY_ID_PROPERTY = "lakesync.gateway-id";
/** Snapshot-summary key: the synced table the flush was for. */
export const TABLE_PROPERTY = "lakesync.table";
/** Snapshot-summary key: the flushed log range, `{min seq}-{max seq}` in decimal. */
export const LOG_RANGE_PROPERTY = "lakesync.log-range";
/** Table property naming a table's role in the layout: `table`, `state` or `history`. */
export const LAYOUT_PROPERTY = "lakesync.layout";

/** The three Iceberg tables a synced table's flushes touch. */
export interface LakeTables {
  /** `ns.T`: the live rows, what users query. */
  readonly main: TableIdentifier;
  /** `ns._lakesync_state_T`: per-column stamps and tombstones. */
  readonly state: TableIdentifier;
  /** `ns._lakesync_history`: every flushed delta of the gateway. */
  readonly history: TableIdentifier;
}

/** The name of the table holding `table`'s merge metadata. */
export function stateTableName(table: string): string {
  return `${STATE_TABLE_PREFIX}${table}`;
}

/** The identifiers of the layout's tables for synced table `table` in `namespace`. */
export function lakeTables(namespace: Namespace, table: string): LakeTables {
  return {
    main: { namespace, name: table },
    state: { namespace, name: stateTableName(table) },
    history: { namespace, name: HISTORY_TABLE },
  };
}

/** The `bucket[buckets](row_id)` spec, field `row_id_bucket` (id 1000). */
export function rowIdBucketSpec(buckets: number): PartitionSpec {
  return {
    "spec-id": 0,
    fields: [
      {
        "source-id": ROW_ID_FIELD_ID,
        "field-id": 1000,
        name: ROW_ID_BUCKET_FIELD,
        transform: `bucket[${buckets}]`,
      },
    ],
  };
}

const PLAIN = /^[A-Za-z0-9_-]+$/;
const hex = (n: number) => (n >>> 0).toString(16).padStart(8, "0");

/**
 * The directory name of a table or namespace level: the name itself when it holds only ASCII
 * letters, digits, `_` and `-`; otherwise an ASCII slug of it plus a 64-bit hash of the name
 * (`to"do list` → `to_do_list-…`), so that every location is a plain URI path that any reader
 * (HTTP, S3, a local disk) fetches without escaping.
 */
export function tableDirectory(name: string): string {
  if (PLAIN.test(name)) return name;
  const slug = name
    .replace(/[^A-Za-z0-9_-]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 64);
  const hash = `${hex(hashString(name))}${hex(hashString(`lakesync:${name}`))}`;
  return slug === "" ? hash : `${slug}-${hash}`;
}

/** The location of a layout table: `{warehouse}/{namespace dirs…}/{table dir}`. */
export function lakeTableLocation(location: LakeLocation, table: TableIdentifier): string {
  return location.tableLocation(table.namespace.map(tableDirectory), tableDirectory(table.name));
}

/** The idempotency key of one flush: `{gatewayId}:{table}:{min seq}-{max seq}`. */
export function flushCommitKey(
  gatewayId: string,
  table: string,
  range: { readonly min: HLCTimestamp; readonly max: HLCTimestamp },
): string {
  return `${gatewayId}:${table}:${range.min}-${range.max}`;
}
