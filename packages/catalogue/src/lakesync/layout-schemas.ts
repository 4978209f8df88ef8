/**
 * @module lakesync/layout-schemas
 * The fixed Iceberg schemas of the layout's two LakeSync-owned tables: `_lakesync_state_T` (a
 * row's merge metadata) and `_lakesync_history` (the raw deltas). HLCs are stored as `long`: they
 * are about 2^57 today; a (never accepted) timestamp at or above 2^63 would be stored as its
 * two's-complement reading and read back exactly.
 */
import type { IcebergSchema } from "../iceberg/types.js";
import { ROW_ID_COLUMN, ROW_ID_FIELD_ID } from "./layout.js";

/**
 * `_lakesync_state_T`: `row_id` (1, identifier); `stamps`, a JSON object of column →
 * `[hlc as a decimal string, clientId]`; the tombstone's `deleted_hlc` and `deleted_client`
 * (null when the row was never deleted); `max_hlc`, the newest stamp of the row.
 */
export const STATE_SCHEMA: IcebergSchema = {
  type: "struct",
  "schema-id": 0,
  "identifier-field-ids": [ROW_ID_FIELD_ID],
  fields: [
    { id: ROW_ID_FIELD_ID, name: ROW_ID_COLUMN, required: true, type: "string" },
    { id: 2, name: "stamps", required: true, type: "string", doc: "column → [hlc, clientId]" },
    { id: 3, name: "deleted_hlc", required: false, type: "long" },
    { id: 4, name: "deleted_client", required: false, type: "string" },
    { id: 5, name: "max_hlc", required: true, type: "long" },
  ],
};

/**
 * `_lakesync_history`: one row per flushed delta. `seq` is the gateway's sequence number,
 * `columns` the delta's JSON array of `{column, value}`.
 */
export const HISTORY_SCHEMA: IcebergSchema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "seq", required: true, type: "long" },
    { id: 2, name: "table", required: true, type: "string" },
    { id: 3, name: "op", required: true, type: "string" },
    { id: 4, name: ROW_ID_COLUMN, required: true, type: "string" },
    { id: 5, name: "client_id", required: true, type: "string" },
    { id: 6, name: "hlc", required: true, type: "long" },
    { id: 7, name: "delta_id", required: true, type: "string" },
    { id: 8, name: "columns", required: true, type: "string", doc: "JSON [{column, value}]" },
  ],
};
