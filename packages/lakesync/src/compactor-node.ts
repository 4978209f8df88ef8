/**
 * @module lakesync/compactor/node
 * `@lakesync/compactor/node` re-exported: the Node-only parts (listing a file-system lake for
 * orphan removal).
 */
export * from "@lakesync/compactor/node";
