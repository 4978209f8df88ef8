/**
 * @module @lakesync/adapter/testing/node
 * Real services for tests in Node: reachability checks and isolated namespaces on PostgreSQL and
 * MySQL (skipped with a message when absent, failed under `CI=true`), and an S3 server (s3rver,
 * or the external S3 named by `LAKESYNC_TEST_S3_ENDPOINT`).
 */
export {
  available,
  freshNamespace,
  MYSQL_URL,
  PG_URL,
} from "./testing/node/databases.js";
export { type LocalS3, startLocalS3 } from "./testing/node/s3-server.js";
