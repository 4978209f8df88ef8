/**
 * @module lakesync/proto
 * `@lakesync/proto` re-exported: the binary wire protocol (protobuf) and its codecs.
 */
export * from "@lakesync/proto";
