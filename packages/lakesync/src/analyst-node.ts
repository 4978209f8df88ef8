/**
 * @module lakesync/analyst/node
 * `@lakesync/analyst/node` re-exported: DuckDB in Node over local and S3 lakes, plus everything
 * `lakesync/analyst` exports.
 */
export * from "@lakesync/analyst/node";
