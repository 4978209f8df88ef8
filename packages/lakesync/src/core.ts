/**
 * @module lakesync/core
 * `@lakesync/core` re-exported: `Result` and errors, the hybrid logical clock, column deltas,
 * last-writer-wins and sync rules.
 */
export * from "@lakesync/core";
