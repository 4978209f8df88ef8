/**
 * @module __tests__/reference
 * Reference codecs built only from protobuf-es (`create`, `toBinary`, `fromBinary` on the
 * generated schemas) and `toRowDelta`/`fromRowDelta`. The fast codecs must write the same bytes
 * and, whenever they accept bytes, decode them to the same messages.
 */
import { create, fromBinary, type Message, toBinary } from "@bufbuild/protobuf";
import type { GenMessage } from "@bufbuild/protobuf/codegenv2";
import { type HLCTimestamp, type RowDelta, unwrapOrThrow } from "@lakesync/core";
import {
  type CheckpointChunk,
  type ErrorResponse,
  fromRowDelta,
  type SyncNotification,
  type SyncPull,
  type SyncPush,
  type SyncResponse,
  toRowDelta,
} from "@lakesync/proto";
import * as pb from "@lakesync/proto/gen";

const hlc = (value: bigint): HLCTimestamp => value as HLCTimestamp;

function parse<T extends Message>(schema: GenMessage<T>, bytes: Uint8Array): T {
  return fromBinary(schema, bytes, { readUnknownFields: false });
}

function deltas(messages: readonly pb.RowDelta[], inheritedClientId?: string): RowDelta[] {
  return messages.map((m) =>
    unwrapOrThrow(toRowDelta(m, inheritedClientId === undefined ? {} : { inheritedClientId })),
  );
}

const toMessages = (list: readonly RowDelta[], inheritedClientId?: string) =>
  list.map((d) =>
    unwrapOrThrow(fromRowDelta(d, inheritedClientId === undefined ? {} : { inheritedClientId })),
  );

function nonEmpty(value: string, field: string): string {
  if (value === "") throw new Error(`${field} is empty`);
  return value;
}

/** Encoders and decoders through protobuf-es; decoders throw where the fast ones return Err. */
export const reference = {
  encodeSyncPush: (push: SyncPush): Uint8Array =>
    toBinary(
      pb.SyncPushSchema,
      create(pb.SyncPushSchema, {
        clientId: push.clientId,
        deltas: toMessages(push.deltas, push.clientId),
        lastSeenHlc: push.lastSeenHlc,
      }),
    ),
  decodeSyncPush: (bytes: Uint8Array): SyncPush => {
    const m = parse(pb.SyncPushSchema, bytes);
    const clientId = nonEmpty(m.clientId, "clientId");
    return { clientId, deltas: deltas(m.deltas, clientId), lastSeenHlc: hlc(m.lastSeenHlc) };
  },
  encodeSyncPull: (pull: SyncPull): Uint8Array =>
    toBinary(pb.SyncPullSchema, create(pb.SyncPullSchema, { ...pull })),
  decodeSyncPull: (bytes: Uint8Array): SyncPull => {
    const m = parse(pb.SyncPullSchema, bytes);
    return {
      clientId: nonEmpty(m.clientId, "clientId"),
      sinceHlc: hlc(m.sinceHlc),
      maxDeltas: m.maxDeltas,
    };
  },
  encodeSyncResponse: (response: SyncResponse): Uint8Array =>
    toBinary(
      pb.SyncResponseSchema,
      create(pb.SyncResponseSchema, {
        deltas: toMessages(response.deltas),
        serverHlc: response.serverHlc,
        hasMore: response.hasMore,
      }),
    ),
  decodeSyncResponse: (bytes: Uint8Array): SyncResponse => {
    const m = parse(pb.SyncResponseSchema, bytes);
    return { deltas: deltas(m.deltas), serverHlc: hlc(m.serverHlc), hasMore: m.hasMore };
  },
  encodeCheckpointChunk: (chunk: CheckpointChunk): Uint8Array =>
    toBinary(
      pb.CheckpointChunkSchema,
      create(pb.CheckpointChunkSchema, {
        table: chunk.table,
        payload:
          chunk.payload.kind === "rows"
            ? {
                case: "rows",
                value: {
                  rows: chunk.payload.rows.map((r) => ({
                    rowId: r.rowId,
                    clientId: r.clientId,
                    hlc: r.hlc,
                    columns: unwrapOrThrow(
                      fromRowDelta({
                        op: "INSERT",
                        table: "t",
                        rowId: "r",
                        clientId: "c",
                        hlc: hlc(0n),
                        deltaId: "0".repeat(64),
                        columns: r.columns,
                      }),
                    ).columns,
                  })),
                },
              }
            : { case: "deltas", value: { deltas: toMessages(chunk.payload.deltas) } },
        chunkIndex: chunk.chunkIndex,
        chunkCount: chunk.chunkCount,
        snapshotHlc: chunk.snapshotHlc,
      }),
    ),
  decodeCheckpointChunk: (bytes: Uint8Array): CheckpointChunk => {
    const m = parse(pb.CheckpointChunkSchema, bytes);
    const table = nonEmpty(m.table, "table");
    if (m.chunkCount < 1 || m.chunkIndex >= m.chunkCount) throw new Error("bad position");
    const position = {
      chunkIndex: m.chunkIndex,
      chunkCount: m.chunkCount,
      snapshotHlc: hlc(m.snapshotHlc),
    };
    if (m.payload.case === "rows") {
      const rows = m.payload.value.rows.map((r) => {
        const asDelta = unwrapOrThrow(
          toRowDelta(
            create(pb.RowDeltaSchema, {
              op: pb.DeltaOp.INSERT,
              table: "t",
              rowId: "r",
              clientId: "c",
              deltaId: new Uint8Array(32),
              columns: r.columns,
            }),
          ),
        );
        return {
          rowId: nonEmpty(r.rowId, "rowId"),
          columns: asDelta.columns,
          hlc: hlc(r.hlc),
          clientId: nonEmpty(r.clientId, "clientId"),
        };
      });
      return { table, payload: { kind: "rows", rows }, ...position };
    }
    if (m.payload.case !== "deltas") throw new Error("no payload");
    const list = deltas(m.payload.value.deltas);
    if (list.some((d) => d.table !== table)) throw new Error("delta of another table");
    return { table, payload: { kind: "deltas", deltas: list }, ...position };
  },
  encodeSyncNotification: (n: SyncNotification): Uint8Array =>
    toBinary(
      pb.SyncNotificationSchema,
      create(pb.SyncNotificationSchema, {
        serverHlc: n.serverHlc,
        tables: [...n.tables],
        deltas: toMessages(n.deltas),
        kind: n.kind === "deltas" ? pb.NotificationKind.DELTAS : pb.NotificationKind.UNSPECIFIED,
        sinceHlc: n.kind === "deltas" ? (n.sinceHlc ?? 0n) : 0n,
        evicted: (n.evicted ?? []).map((r) => ({ ...r })),
      }),
    ),
  decodeSyncNotification: (bytes: Uint8Array): SyncNotification => {
    const m = parse(pb.SyncNotificationSchema, bytes);
    const evicted = m.evicted.map((r) => ({
      table: nonEmpty(r.table, "table"),
      rowId: nonEmpty(r.rowId, "rowId"),
    }));
    return {
      serverHlc: hlc(m.serverHlc),
      tables: m.tables.map((t) => nonEmpty(t, "table")),
      deltas: deltas(m.deltas),
      ...(m.kind === pb.NotificationKind.DELTAS
        ? { kind: "deltas" as const, sinceHlc: hlc(m.sinceHlc) }
        : {}),
      ...(evicted.length > 0 ? { evicted } : {}),
    };
  },
  encodeErrorResponse: (e: ErrorResponse): Uint8Array =>
    toBinary(pb.ErrorResponseSchema, create(pb.ErrorResponseSchema, { ...e })),
  decodeErrorResponse: (bytes: Uint8Array): ErrorResponse => {
    const m = parse(pb.ErrorResponseSchema, bytes);
    if (!/^[A-Z][A-Z0-9_]{0,63}$/.test(m.code)) throw new Error("bad code");
    return { code: m.code, message: m.message };
  },
};
