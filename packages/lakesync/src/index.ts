/**
 * @module lakesync
 * LakeSync in one package. Every part comes by subpath export (`lakesync/core`, `lakesync/client`,
 * `lakesync/client/react`, `lakesync/gateway`, `lakesync/adapter`, `lakesync/adapter/node`,
 * `lakesync/proto`, `lakesync/parquet`, `lakesync/parquet/node`, `lakesync/catalogue`,
 * `lakesync/catalogue/node`, `lakesync/compactor`, `lakesync/analyst`); the root entry exports
 * nothing yet (the command line comes with its own issue).
 */
export {};
