/**
 * @module lakesync
 * LakeSync in one package. Every part comes by subpath export (`lakesync/core`, `lakesync/client`,
 * `lakesync/client/react`, `lakesync/gateway`, `lakesync/adapter`, `lakesync/adapter/node`,
 * `lakesync/proto`, `lakesync/parquet`, `lakesync/parquet/node`, `lakesync/catalogue`,
 * `lakesync/catalogue/node`, `lakesync/compactor`, `lakesync/analyst`, `lakesync/server`); the
 * root entry exports nothing. The `lakesync` command line is this package's `bin`.
 */
export {};
