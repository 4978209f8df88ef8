/**
 * Field numbers are a public contract: this table pins every message's fields and the enum's
 * values. Changing or reusing a number fails here; a new field must be added here (and to
 * ADR-008) on purpose. The hand-written codecs' tag table is checked against the schema too.
 */
import { ScalarType } from "@bufbuild/protobuf";
import { file_lakesync } from "@lakesync/proto/gen";
import { describe, expect, it } from "vitest";
import { Tags } from "../wire/tags.js";

const PINNED: Record<string, Record<string, number>> = {
  "lakesync.v1.ColumnDelta": { column: 1, value: 2 },
  "lakesync.v1.RowDelta": {
    op: 1,
    table: 2,
    row_id: 3,
    columns: 4,
    hlc: 5,
    client_id: 6,
    delta_id: 7,
  },
  "lakesync.v1.SyncPush": { client_id: 1, deltas: 2, last_seen_hlc: 3 },
  "lakesync.v1.SyncPull": { client_id: 1, since_hlc: 2, max_deltas: 3 },
  "lakesync.v1.SyncResponse": { deltas: 1, server_hlc: 2, has_more: 3, refused: 4, evicted: 5 },
  "lakesync.v1.DeltaRefusal": { delta_id: 1, table: 2, row_id: 3, code: 4, message: 5 },
  "lakesync.v1.RowRef": { table: 1, row_id: 2 },
  "lakesync.v1.CheckpointChunk": {
    table: 1,
    rows: 2,
    deltas: 3,
    chunk_index: 4,
    chunk_count: 5,
    snapshot_hlc: 6,
  },
  "lakesync.v1.CheckpointRows": { rows: 1 },
  "lakesync.v1.CheckpointRow": { row_id: 1, columns: 2, hlc: 3, client_id: 4 },
  "lakesync.v1.CheckpointDeltas": { deltas: 1 },
  "lakesync.v1.SyncNotification": {
    server_hlc: 1,
    tables: 2,
    deltas: 3,
    kind: 4,
    since_hlc: 5,
    evicted: 6,
  },
  "lakesync.v1.ErrorResponse": { code: 1, message: 2 },
};

const WIRE_TYPES: Partial<Record<ScalarType, number>> = {
  [ScalarType.FIXED64]: 1,
  [ScalarType.STRING]: 2,
  [ScalarType.BYTES]: 2,
  [ScalarType.UINT32]: 0,
  [ScalarType.BOOL]: 0,
};

describe("field numbers", () => {
  it("every message keeps the field numbers it was published with", () => {
    const actual = Object.fromEntries(
      file_lakesync.messages.map((m) => [
        m.typeName,
        Object.fromEntries(m.fields.map((f) => [f.name, f.number])),
      ]),
    );
    expect(actual).toEqual(PINNED);
  });

  it("DeltaOp keeps its values, with 0 as UNSPECIFIED", () => {
    const values = Object.fromEntries(
      file_lakesync.enums[0]?.values.map((v) => [v.name, v.number]) ?? [],
    );
    expect(values).toEqual({
      DELTA_OP_UNSPECIFIED: 0,
      DELTA_OP_INSERT: 1,
      DELTA_OP_UPDATE: 2,
      DELTA_OP_DELETE: 3,
    });
  });

  it("NotificationKind keeps its values, with 0 as UNSPECIFIED (changed: what older gateways send)", () => {
    const values = Object.fromEntries(
      file_lakesync.enums[1]?.values.map((v) => [v.name, v.number]) ?? [],
    );
    expect(values).toEqual({ NOTIFICATION_KIND_UNSPECIFIED: 0, NOTIFICATION_KIND_DELTAS: 1 });
  });

  it("the fast codecs use the schema's field numbers and wire types", () => {
    const fromSchema = Object.fromEntries(
      file_lakesync.messages.map((m) => [
        m.name,
        Object.fromEntries(
          m.fields.map((f) => {
            const wireType =
              f.fieldKind === "scalar" ? WIRE_TYPES[f.scalar] : f.fieldKind === "enum" ? 0 : 2;
            return [f.localName, (f.number << 3) | (wireType ?? -1)];
          }),
        ),
      ]),
    );
    expect(Tags).toEqual(fromSchema);
  });
});
