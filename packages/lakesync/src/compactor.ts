/**
 * @module lakesync/compactor
 * `@lakesync/compactor` re-exported: compaction of delta files into base files, maintenance and
 * checkpoints.
 */
export * from "@lakesync/compactor";
