/**
 * @module checkpoint/chunk-cutter
 * Cutting a table's rows, each as the deltas that rebuild its state, into byte-budgeted pieces
 * of a checkpoint, as the gateway cuts its own: a row never straddles two pieces, and a row
 * larger than the budget gets a piece of its own.
 */
import type { RowDelta } from "@lakesync/core";

/** A rough count of the bytes one delta holds in memory and on the wire. */
export function estimateDeltaBytes(delta: RowDelta): number {
  let bytes = 80 + delta.table.length + delta.rowId.length + delta.clientId.length;
  for (const c of delta.columns) {
    const v = c.value;
    bytes += 8 + c.column.length;
    bytes +=
      typeof v === "string"
        ? v.length + 2
        : v === null || typeof v !== "object"
          ? 8
          : JSON.stringify(v).length;
  }
  return bytes;
}

/** One piece of a checkpoint: deltas of one table. */
export interface CheckpointPiece {
  readonly table: string;
  readonly deltas: RowDelta[];
}

/** Collects the rows of one table into pieces of at most `budgetBytes` (estimated). */
export class ChunkCutter {
  #current: RowDelta[] = [];
  #bytes = 0;

  constructor(
    readonly table: string,
    readonly budgetBytes: number,
    /** Where finished pieces go. */
    readonly pieces: CheckpointPiece[],
  ) {}

  /** Adds one row's deltas; returns their estimated bytes. */
  add(deltas: readonly RowDelta[]): number {
    const rowBytes = deltas.reduce((n, d) => n + estimateDeltaBytes(d), 0);
    if (this.#current.length > 0 && this.#bytes + rowBytes > this.budgetBytes) this.finish();
    this.#current.push(...deltas);
    this.#bytes += rowBytes;
    return rowBytes;
  }

  /** Ends the piece being filled, if it holds anything. */
  finish(): void {
    if (this.#current.length > 0) this.pieces.push({ table: this.table, deltas: this.#current });
    this.#current = [];
    this.#bytes = 0;
  }
}
