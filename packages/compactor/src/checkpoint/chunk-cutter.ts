/**
 * @module checkpoint/chunk-cutter
 * Cutting a table's rows, each as the deltas that rebuild its state, into byte-budgeted pieces
 * of a checkpoint, as the gateway cuts its own: a row never straddles two pieces, and a row
 * larger than the budget gets a piece of its own. A cutter that does not keep the deltas only
 * counts the pieces: the plan's first pass, which must cut exactly as the second.
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

/** One piece of a checkpoint: deltas of one table (empty when the cutter only counts). */
export interface CheckpointPiece {
  readonly table: string;
  readonly deltas: RowDelta[];
}

/** Collects the rows of one table into pieces of at most `budgetBytes` (estimated). */
export class ChunkCutter {
  #current: RowDelta[] = [];
  #rows = 0;
  #bytes = 0;

  /** @param keep false to count pieces without holding their deltas. */
  constructor(
    readonly table: string,
    readonly budgetBytes: number,
    readonly keep = true,
  ) {}

  /**
   * Adds one row's deltas. Returns the piece this row closed (the row starts the next one), if
   * any, and the row's estimated bytes.
   */
  add(deltas: readonly RowDelta[]): { piece: CheckpointPiece | undefined; bytes: number } {
    let bytes = 0;
    for (const d of deltas) bytes += estimateDeltaBytes(d);
    const piece =
      this.#rows > 0 && this.#bytes + bytes > this.budgetBytes ? this.finish() : undefined;
    if (this.keep) for (const d of deltas) this.#current.push(d);
    this.#rows++;
    this.#bytes += bytes;
    return { piece, bytes };
  }

  /** Ends the piece being filled; `undefined` when it holds no row. */
  finish(): CheckpointPiece | undefined {
    const piece = this.#rows > 0 ? { table: this.table, deltas: this.#current } : undefined;
    this.#current = [];
    this.#rows = 0;
    this.#bytes = 0;
    return piece;
  }
}
