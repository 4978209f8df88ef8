/**
 * @module progress
 * What every long operation of the compactor reports as it goes: which operation on which
 * table, how many files, rows and bytes it has done out of how many. A command line draws
 * progress bars from it; a host logs it.
 */

/** The long operations that report progress. */
export type ProgressOperation =
  | "compact"
  | "expire-snapshots"
  | "remove-orphans"
  | "expire-history"
  | "checkpoint";

/** One progress report. Totals are known up front; counts only grow within one operation. */
export interface Progress {
  readonly operation: ProgressOperation;
  /** The Iceberg table worked on, as `namespace.name`. */
  readonly table: string;
  /** Files read (or deleted, for expiry and orphan removal) so far, and in all. */
  readonly files: { readonly done: number; readonly total: number };
  /** Rows read so far, and the rows the files to read hold in all (0 when not applicable). */
  readonly rows: { readonly done: number; readonly total: number };
  /** Bytes read and written (or deleted) so far. */
  readonly bytes: { readonly read: number; readonly written: number };
}

/** A progress callback. It must not throw; exceptions it throws are ignored. */
export type ProgressListener = (progress: Progress) => void;

/** Calls `listener` with `progress`, ignoring whatever it throws. */
export function report(listener: ProgressListener | undefined, progress: Progress): void {
  if (!listener) return;
  try {
    listener(progress);
  } catch {
    // A progress bar that fails must not fail the work it reports on.
  }
}

/** `namespace.name` of a table identifier. */
export function tableName(table: {
  readonly namespace: readonly string[];
  readonly name: string;
}): string {
  return [...table.namespace, table.name].join(".");
}
