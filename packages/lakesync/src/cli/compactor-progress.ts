/**
 * @module cli/compactor-progress
 * The compactor's progress reports (`Progress`: files, rows, bytes of one operation on one
 * table) drawn on a {@link ProgressDisplay}: one bar per operation and table.
 */
import type { Progress, ProgressListener } from "@lakesync/compactor";
import { formatBytes } from "./format-units.js";
import type { ProgressDisplay } from "./progress-display.js";

function detail(progress: Progress): string {
  const parts = ["files"];
  if (progress.rows.total > 0) parts.push(`${progress.rows.done}/${progress.rows.total} rows`);
  if (progress.bytes.read > 0) parts.push(`${formatBytes(progress.bytes.read)} read`);
  if (progress.bytes.written > 0) parts.push(`${formatBytes(progress.bytes.written)} written`);
  return parts.join(", ");
}

/** A progress listener that draws on `display`. */
export function compactorProgress(display: ProgressDisplay): ProgressListener {
  return (progress) => {
    const label = `${progress.operation} ${progress.table}`;
    display.update(label, label, progress.files.done, progress.files.total, detail(progress));
  };
}
