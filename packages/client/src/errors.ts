/**
 * @module errors
 * Errors raised by the client SDK.
 */
import { LakeSyncError, type LakeSyncErrorOptions } from "@lakesync/core";

/** The outbox could not be read or written (IndexedDB failures, quota, closed database). */
export class QueueError extends LakeSyncError {
  constructor(message: string, options: LakeSyncErrorOptions = {}) {
    super("QUEUE_ERROR", message, options);
    this.name = "QueueError";
  }
}

/** The local database failed: bad SQL, a constraint, or a snapshot that cannot be loaded. */
export class LocalDBError extends LakeSyncError {
  constructor(message: string, options: LakeSyncErrorOptions = {}) {
    super("LOCAL_DB_ERROR", message, options);
    this.name = "LocalDBError";
  }
}
