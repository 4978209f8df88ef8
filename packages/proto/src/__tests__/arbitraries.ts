/**
 * @module __tests__/arbitraries
 * fast-check arbitraries for the protocol's messages: any valid delta, row, push, pull,
 * response, checkpoint chunk, notification and error response.
 */
import {
  type ColumnDelta,
  type ColumnValue,
  type DeltaOp,
  deltaId,
  type HLCTimestamp,
  type RowDelta,
} from "@lakesync/core";
import type {
  CheckpointChunk,
  CheckpointRow,
  ErrorResponse,
  SyncNotification,
  SyncPull,
  SyncPush,
  SyncResponse,
} from "@lakesync/proto";
import fc from "fast-check";

/** Any non-empty well-formed string: ASCII, control characters, or any code point. */
export const idArb = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.string({ minLength: 1, maxLength: 40, unit: "binary" }),
  fc.string({ minLength: 1, maxLength: 8, unit: "binary-ascii" }),
);

/** Any 64-bit HLC, with the edges and realistic current-time stamps weighted in. */
export const hlcArb: fc.Arbitrary<HLCTimestamp> = fc
  .oneof(
    fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    fc.constantFrom(0n, 1n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n),
    fc.bigInt({ min: 1_700_000_000_000n << 16n, max: 1_900_000_000_000n << 16n }),
  )
  .map((n) => n as HLCTimestamp);

/** JSON turns -0 into 0; a value that survives the trip is what a column can hold. */
function normalise(value: ColumnValue): ColumnValue {
  if (typeof value === "number") return Object.is(value, -0) ? 0 : value;
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, ColumnValue> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, {
        value: normalise(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/** Any column value, including nested JSON and unicode and control characters in strings. */
export const valueArb: fc.Arbitrary<ColumnValue> = fc
  .oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.jsonValue({ maxDepth: 3, stringUnit: "binary" }),
    fc.string({ unit: "binary-ascii" }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(null, true, false, "", 0, Number.MAX_SAFE_INTEGER, 1e21, "\u{feff}x"),
  )
  .map((v) => normalise(v as ColumnValue));

/** A list of columns with distinct names. */
export const columnsArb: fc.Arbitrary<ColumnDelta[]> = fc.uniqueArray(
  fc.record({ column: idArb, value: valueArb }),
  { selector: (c) => c.column, maxLength: 6 },
);

/** Any valid delta: DELETE carries no columns, and the id is derived from the content. */
export const deltaArb: fc.Arbitrary<RowDelta> = fc
  .record({
    op: fc.constantFrom<DeltaOp>("INSERT", "UPDATE", "DELETE"),
    table: idArb,
    rowId: idArb,
    clientId: idArb,
    hlc: hlcArb,
    columns: columnsArb,
  })
  .map((d) => {
    const columns = d.op === "DELETE" ? [] : d.columns;
    return { ...d, columns, deltaId: deltaId({ ...d, columns }) };
  });

export const pushArb: fc.Arbitrary<SyncPush> = fc
  .record({
    clientId: idArb,
    deltas: fc.array(deltaArb, { maxLength: 8 }),
    lastSeenHlc: hlcArb,
    own: fc.boolean(),
  })
  // Usually a push carries the client's own deltas; sometimes others' (which keep their id).
  .map(({ own, ...p }) => ({
    ...p,
    deltas: own
      ? p.deltas.map((d) => ({
          ...d,
          clientId: p.clientId,
          deltaId: deltaId({ ...d, clientId: p.clientId }),
        }))
      : p.deltas,
  }));

export const pullArb: fc.Arbitrary<SyncPull> = fc.record({
  clientId: idArb,
  sinceHlc: hlcArb,
  maxDeltas: fc.oneof(fc.constant(0), fc.nat(1000), fc.constant(0xffff_ffff)),
});

export const responseArb: fc.Arbitrary<SyncResponse> = fc.record({
  deltas: fc.array(deltaArb, { maxLength: 8 }),
  serverHlc: hlcArb,
  hasMore: fc.boolean(),
});

const rowArb: fc.Arbitrary<CheckpointRow> = fc.record({
  rowId: idArb,
  columns: columnsArb,
  hlc: hlcArb,
  clientId: idArb,
});

export const chunkArb: fc.Arbitrary<CheckpointChunk> = fc
  .record({
    table: idArb,
    rows: fc.array(rowArb, { maxLength: 5 }),
    deltas: fc.array(deltaArb, { maxLength: 5 }),
    useRows: fc.boolean(),
    chunkCount: fc.integer({ min: 1, max: 0xffff_ffff }),
    position: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
    snapshotHlc: hlcArb,
  })
  .map(({ table, rows, deltas, useRows, chunkCount, position, snapshotHlc }) => ({
    table,
    payload: useRows
      ? { kind: "rows" as const, rows }
      : {
          kind: "deltas" as const,
          deltas: deltas.map((d) => ({ ...d, table, deltaId: deltaId({ ...d, table }) })),
        },
    chunkIndex: Math.floor(position * chunkCount),
    chunkCount,
    snapshotHlc,
  }));

const rowRefArb = fc.record({ table: idArb, rowId: idArb });

export const notificationArb: fc.Arbitrary<SyncNotification> = fc.oneof(
  fc.record({
    serverHlc: hlcArb,
    tables: fc.array(idArb, { maxLength: 4 }),
    deltas: fc.array(deltaArb, { maxLength: 4 }),
  }),
  fc.record(
    {
      serverHlc: hlcArb,
      tables: fc.array(idArb, { maxLength: 4 }),
      deltas: fc.array(deltaArb, { maxLength: 4 }),
      kind: fc.constant("deltas" as const),
      sinceHlc: hlcArb,
      evicted: fc.array(rowRefArb, { minLength: 1, maxLength: 3 }),
    },
    { requiredKeys: ["serverHlc", "tables", "deltas", "kind", "sinceHlc"] },
  ),
);

export const errorArb: fc.Arbitrary<ErrorResponse> = fc.record({
  code: fc.stringMatching(/^[A-Z][A-Z0-9_]{0,20}$/),
  message: fc.string({ unit: "binary", maxLength: 60 }),
});
