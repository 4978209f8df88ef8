/**
 * A client replica reduced to its merge state: what the client SDK keeps, without SQLite. It
 * applies pulled deltas with core's merge, removes evicted rows, and can start from a
 * checkpoint, replacing everything it held (as a client re-bootstrapping after CURSOR_EXPIRED).
 */
import {
  applyToRowState,
  type Claims,
  EMPTY_ROW_STATE,
  HLC_ZERO,
  type HLCTimestamp,
  materialiseRow,
  type Row,
  type RowDelta,
  type RowState,
  unwrapOrThrow,
} from "@lakesync/core";
import type { RowRef } from "@lakesync/proto";
import { collectCheckpoint } from "../../checkpoint/build-checkpoint.js";
import type { SyncGateway } from "../../gateway/sync-gateway.js";

export class Replica {
  readonly states = new Map<string, RowState>();
  cursor: HLCTimestamp = HLC_ZERO;

  constructor(
    readonly gateway: SyncGateway,
    readonly claims: Claims,
  ) {}

  apply(deltas: readonly RowDelta[]): void {
    for (const d of deltas) {
      const key = `${d.table}\u0000${d.rowId}`;
      this.states.set(key, applyToRowState(this.states.get(key) ?? EMPTY_ROW_STATE, d));
    }
  }

  evict(rows: readonly RowRef[] | undefined): void {
    for (const { table, rowId } of rows ?? []) this.states.delete(`${table}\u0000${rowId}`);
  }

  /** Starts again from a checkpoint: everything held before is replaced. */
  async bootstrap(): Promise<void> {
    const chunks = unwrapOrThrow(
      await collectCheckpoint(unwrapOrThrow(await this.gateway.checkpoint(this.claims))),
    );
    this.states.clear();
    for (const chunk of chunks)
      if (chunk.payload.kind === "deltas") this.apply(chunk.payload.deltas);
    this.cursor = chunks[0]?.snapshotHlc ?? this.gateway.head;
  }

  /** Pulls every page; a cursor the gateway no longer serves restarts from a checkpoint. */
  async pull(): Promise<void> {
    for (;;) {
      const page = await this.gateway.handlePull(
        { clientId: "replica", sinceHlc: this.cursor, maxDeltas: 7 },
        this.claims,
      );
      if (!page.ok && page.error.code === "CURSOR_EXPIRED") {
        await this.bootstrap();
        continue;
      }
      const value = unwrapOrThrow(page);
      this.apply(value.deltas);
      this.evict(value.evicted);
      this.cursor = value.serverHlc;
      if (!value.hasMore) return;
    }
  }

  /** The rows the app would show: live rows by table and id. */
  rows(): Record<string, Row> {
    const out: Record<string, Row> = {};
    for (const [key, state] of [...this.states].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const row = materialiseRow(state);
      if (row) out[key.replace("\u0000", "/")] = row;
    }
    return out;
  }
}
