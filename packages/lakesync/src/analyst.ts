/**
 * @module lakesync/analyst
 * `@lakesync/analyst` re-exported: DuckDB over the lake, union reads and time travel.
 */
export * from "@lakesync/analyst";
