/**
 * @module wire/tags
 * The tag (field number and wire type) of every field of `lakesync.proto`, for the hand-written
 * codecs. A test checks each against the descriptors protobuf-es generates from the schema, so
 * this table cannot drift from the `.proto` file.
 */

/** Wire types of the protobuf binary format. */
export const WireType = {
  VARINT: 0,
  I64: 1,
  LEN: 2,
  START_GROUP: 3,
  END_GROUP: 4,
  I32: 5,
} as const;

const { VARINT, I64, LEN } = WireType;
const tag = (field: number, wireType: number): number => (field << 3) | wireType;

/** Tags by message and field (field names as in the generated TypeScript). */
export const Tags = {
  ColumnDelta: { column: tag(1, LEN), value: tag(2, LEN) },
  RowDelta: {
    op: tag(1, VARINT),
    table: tag(2, LEN),
    rowId: tag(3, LEN),
    columns: tag(4, LEN),
    hlc: tag(5, I64),
    clientId: tag(6, LEN),
    deltaId: tag(7, LEN),
  },
  SyncPush: { clientId: tag(1, LEN), deltas: tag(2, LEN), lastSeenHlc: tag(3, I64) },
  SyncPull: { clientId: tag(1, LEN), sinceHlc: tag(2, I64), maxDeltas: tag(3, VARINT) },
  SyncResponse: {
    deltas: tag(1, LEN),
    serverHlc: tag(2, I64),
    hasMore: tag(3, VARINT),
    refused: tag(4, LEN),
    evicted: tag(5, LEN),
  },
  DeltaRefusal: {
    deltaId: tag(1, LEN),
    table: tag(2, LEN),
    rowId: tag(3, LEN),
    code: tag(4, LEN),
    message: tag(5, LEN),
  },
  RowRef: { table: tag(1, LEN), rowId: tag(2, LEN) },
  CheckpointChunk: {
    table: tag(1, LEN),
    rows: tag(2, LEN),
    deltas: tag(3, LEN),
    chunkIndex: tag(4, VARINT),
    chunkCount: tag(5, VARINT),
    snapshotHlc: tag(6, I64),
  },
  CheckpointRows: { rows: tag(1, LEN) },
  CheckpointRow: {
    rowId: tag(1, LEN),
    columns: tag(2, LEN),
    hlc: tag(3, I64),
    clientId: tag(4, LEN),
  },
  CheckpointDeltas: { deltas: tag(1, LEN) },
  SyncNotification: {
    serverHlc: tag(1, I64),
    tables: tag(2, LEN),
    deltas: tag(3, LEN),
    kind: tag(4, VARINT),
    sinceHlc: tag(5, I64),
    evicted: tag(6, LEN),
  },
  ErrorResponse: { code: tag(1, LEN), message: tag(2, LEN) },
} as const;
